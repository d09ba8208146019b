package io.memoscope.ingest.spi;

/**
 * One image as a source reads it, before random labels are attached.
 *
 * @param index position within its split, from 0 (the Kafka key)
 * @param label real class, 0 ≤ label &lt; number of classes
 * @param pixels unsigned 8-bit intensities, HWC row-major, length height·width·channels
 */
public record RawSample(long index, int label, byte[] pixels) {}
