package io.memoscope.protocol.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Issue 14, item 7: random and mutated bytes into every record's deserializer. Whatever the bytes,
 * a deserializer returns a valid record or throws {@link InvalidRecordException} (what the
 * consumers dead-letter or count as invalid): never another exception, never an error such as
 * running out of memory on a length field, never a hang (inputs are at most a few KB and each try
 * must end within the property's time).
 */
class DecoderFuzzProperties {

  /** The four record kinds: their deserializer and a valid encoding to mutate. */
  enum Kind {
    IMAGE_SAMPLE(
        new ImageSampleDeserializer(),
        MemoscopeSerdes.imageSample().serializer().serialize("t", Records.imageSample())),
    TRAINING_EVENT(
        new TrainingEventDeserializer(),
        MemoscopeSerdes.trainingEvent().serializer().serialize("t", Records.trainingEvent())),
    RUN_MANIFEST(
        new RunManifestDeserializer(),
        MemoscopeSerdes.runManifest().serializer().serialize("t", Records.runManifest())),
    DATASET_INFO(
        new DatasetInfoDeserializer(),
        MemoscopeSerdes.datasetInfo().serializer().serialize("t", Records.datasetInfo()));

    final Deserializer<?> deserializer;
    final byte[] valid;

    Kind(Deserializer<?> deserializer, byte[] valid) {
      this.deserializer = deserializer;
      this.valid = valid;
    }
  }

  @Property(tries = 400, seed = "14")
  void randomBytesAreValidOrInvalidRecords(
      @ForAll Kind kind, @ForAll @Size(max = 2_048) byte[] bytes) {
    assertDecodesOrIsInvalid(kind, bytes);
  }

  /** Random bytes after the real single-object header: they reach the Avro body decoder. */
  @Property(tries = 400, seed = "14")
  void randomBodiesAfterAValidHeaderAreValidOrInvalidRecords(
      @ForAll Kind kind, @ForAll @Size(max = 2_048) byte[] body) {
    byte[] bytes = Arrays.copyOf(kind.valid, SingleObjectCodec.HEADER_LENGTH + body.length);
    System.arraycopy(body, 0, bytes, SingleObjectCodec.HEADER_LENGTH, body.length);
    assertDecodesOrIsInvalid(kind, bytes);
  }

  @Property(tries = 1_000, seed = "14")
  void mutatedRecordsAreValidOrInvalidRecords(
      @ForAll Kind kind, @ForAll("mutations") List<Mutation> mutations) {
    byte[] bytes = kind.valid;
    for (Mutation mutation : mutations) {
      bytes = mutation.apply(bytes);
    }
    assertDecodesOrIsInvalid(kind, bytes);
  }

  static void assertDecodesOrIsInvalid(Kind kind, byte[] bytes) {
    Object value;
    try {
      value = kind.deserializer.deserialize("fuzz", bytes);
    } catch (InvalidRecordException e) {
      assertThat(e.problem()).isNotNull();
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(value).as("a value that is not invalid decodes to a record").isNotNull();
  }

  /** One change to a record's bytes, as a broken producer, disk or network might make it. */
  interface Mutation extends Function<byte[], byte[]> {}

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 4_096);
    Arbitrary<Mutation> flip =
        Combinators.combine(position, Arbitraries.integers().between(0, 7))
            .as(
                (at, bit) ->
                    bytes -> {
                      byte[] out = bytes.clone();
                      if (out.length > 0) {
                        out[at % out.length] ^= (byte) (1 << bit);
                      }
                      return out;
                    });
    Arbitrary<Mutation> set =
        Combinators.combine(position, Arbitraries.bytes())
            .as(
                (at, value) ->
                    bytes -> {
                      byte[] out = bytes.clone();
                      if (out.length > 0) {
                        out[at % out.length] =
                            value; // e.g. a length or union index byte made huge or negative
                      }
                      return out;
                    });
    Arbitrary<Mutation> truncate =
        position.map(at -> bytes -> Arrays.copyOf(bytes, at % (bytes.length + 1)));
    Arbitrary<Mutation> insert =
        Combinators.combine(position, Arbitraries.bytes().array(byte[].class).ofMaxSize(16))
            .as(
                (at, extra) ->
                    bytes -> {
                      int cut = at % (bytes.length + 1);
                      byte[] out = new byte[bytes.length + extra.length];
                      System.arraycopy(bytes, 0, out, 0, cut);
                      System.arraycopy(extra, 0, out, cut, extra.length);
                      System.arraycopy(bytes, cut, out, cut + extra.length, bytes.length - cut);
                      return out;
                    });
    Arbitrary<Mutation> delete =
        Combinators.combine(position, Arbitraries.integers().between(1, 16))
            .as(
                (at, length) ->
                    bytes -> {
                      int from = at % (bytes.length + 1);
                      int to = Math.min(bytes.length, from + length);
                      byte[] out = new byte[bytes.length - (to - from)];
                      System.arraycopy(bytes, 0, out, 0, from);
                      System.arraycopy(bytes, to, out, from, bytes.length - to);
                      return out;
                    });
    return Arbitraries.oneOf(flip, set, truncate, insert, delete).list().ofMinSize(1).ofMaxSize(4);
  }
}
