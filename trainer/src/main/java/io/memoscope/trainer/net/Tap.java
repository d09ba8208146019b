package io.memoscope.trainer.net;

/**
 * A named point of the extractor where a random-label head can read features.
 *
 * @param name what users call it in {@code --heads} (e.g. {@code block1}, {@code penultimate})
 * @param vertex the graph vertex whose output is the feature
 * @param spatial whether the output is a [batch, channels, h, w] map (pooled before the head)
 * @param size channels of a spatial output, units of a flat one: the head's input width
 */
public record Tap(String name, String vertex, boolean spatial, int size) {}
