package io.memoscope.metrics;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The state store format of {@link SampleHits}: binary rather than JSON (as {@link JsonSerde}
 * writes the other stores' values), because the bitsets are the bulk of the service's per-sample
 * state and JSON would write each byte as up to four characters. Layout: version byte (1), step (8
 * bytes), epoch (4), timestamp (8), head count (4), then the class bitset and each head's bitset,
 * each as its length (4) and its bytes ({@link BitSet#toByteArray()}: trailing zero bytes are left
 * out); from version 2 then the probe count (4) and per probe its id (length (4) and UTF-8 bytes)
 * and its bitset. Version 1 values (before probes) still read, with no probes.
 */
final class SampleHitsSerde implements Serde<SampleHits> {

  private static final byte VERSION = 2;

  @Override
  public Serializer<SampleHits> serializer() {
    return (topic, hits) -> {
      if (hits == null) {
        return null;
      }
      List<byte[]> bits = new ArrayList<>(1 + hits.heads().size());
      bits.add(hits.classRight().toByteArray());
      hits.heads().forEach(h -> bits.add(h.toByteArray()));
      List<byte[]> probeIds = new ArrayList<>(hits.probes().size());
      hits.probes()
          .forEach(
              (id, b) -> {
                probeIds.add(id.getBytes(StandardCharsets.UTF_8));
                bits.add(b.toByteArray());
              });
      int size =
          1
              + 8
              + 4
              + 8
              + 4
              + 4
              + bits.stream().mapToInt(b -> 4 + b.length).sum()
              + probeIds.stream().mapToInt(b -> 4 + b.length).sum();
      ByteBuffer out = ByteBuffer.allocate(size);
      out.put(VERSION).putLong(hits.step()).putInt(hits.epoch()).putLong(hits.timestampMs());
      out.putInt(hits.heads().size());
      bits.subList(0, 1 + hits.heads().size()).forEach(b -> out.putInt(b.length).put(b));
      out.putInt(probeIds.size());
      for (int p = 0; p < probeIds.size(); p++) {
        byte[] b = bits.get(1 + hits.heads().size() + p);
        out.putInt(probeIds.get(p).length).put(probeIds.get(p)).putInt(b.length).put(b);
      }
      return out.array();
    };
  }

  @Override
  public Deserializer<SampleHits> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      ByteBuffer in = ByteBuffer.wrap(data);
      byte version = in.get();
      if (version != 1 && version != VERSION) {
        throw new SerializationException("sample hits of unknown version " + version);
      }
      try {
        long step = in.getLong();
        int epoch = in.getInt();
        long timestampMs = in.getLong();
        int heads = in.getInt();
        BitSet classRight = bits(in);
        List<BitSet> headBits = new ArrayList<>(heads);
        for (int h = 0; h < heads; h++) {
          headBits.add(bits(in));
        }
        Map<String, BitSet> probes = new LinkedHashMap<>();
        int probeCount = version == 1 ? 0 : in.getInt();
        for (int p = 0; p < probeCount; p++) {
          byte[] id = new byte[in.getInt()];
          in.get(id);
          probes.put(new String(id, StandardCharsets.UTF_8), bits(in));
        }
        return new SampleHits(step, epoch, timestampMs, classRight, headBits, probes);
      } catch (BufferUnderflowException | NegativeArraySizeException e) {
        throw new SerializationException("sample hits cut short", e);
      }
    };
  }

  private static BitSet bits(ByteBuffer in) {
    byte[] bytes = new byte[in.getInt()];
    in.get(bytes);
    return BitSet.valueOf(bytes);
  }
}
