package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.SampleBits;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.HeadHits;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.SampleEvaluation;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.kafka.ProducerSettings;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.protocol.serde.ImageSampleSerializer;
import io.memoscope.protocol.serde.SampleEvaluationSerializer;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Synthetic {@link SampleEvaluation}s and the images they point at, for tests: a subset of samples
 * with indices {@code 10, 12, 14, …} (every other image of the data set), classes {@code i % 2},
 * and hits written as strings, one character per sample of the subset ({@code "1"} predicted,
 * {@code "0"} not).
 *
 * @param run the run id
 * @param dataset the data set the images belong to
 * @param size samples in the subset
 * @param heads the random-label heads, in the run's order
 */
public record SampleEvaluations(String run, String dataset, int size, List<String> heads) {

  /** Random-label classes of the synthetic data set. */
  public static final int RANDOM_CLASSES = 10;

  public static final long LABEL_SEED = 42;

  /** Side of the synthetic grey images, in pixels. */
  public static final int IMAGE_SIDE = 28;

  public static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  /** The ImageSample index of subset sample {@code i}. */
  public long index(int i) {
    return 10 + 2L * i;
  }

  public int classOf(int i) {
    return i % 2;
  }

  /** The random label of subset sample {@code i} under {@code head}'s labeling. */
  public int randomLabel(String head, int i) {
    return RandomLabels.label(
        LABEL_SEED,
        dataset,
        Split.train,
        index(i),
        io.memoscope.protocol.HeadId.parse(head).labeling(),
        RANDOM_CLASSES);
  }

  /**
   * The evaluation at {@code step}: {@code classRight} and one hit string per head, in {@link
   * #heads} order.
   */
  public SampleEvaluation at(long step, String classRight, String... headHits) {
    if (headHits.length != heads.size()) {
      throw new IllegalArgumentException(heads.size() + " heads, " + headHits.length + " hits");
    }
    List<HeadHits> hits = new ArrayList<>();
    for (int h = 0; h < heads.size(); h++) {
      String head = heads.get(h);
      hits.add(
          new HeadHits(
              head,
              IntStream.range(0, size).mapToObj(i -> randomLabel(head, i)).toList(),
              bits(headHits[h])));
    }
    return SampleEvaluation.newBuilder()
        .setRunId(run)
        .setStep(step)
        .setEpoch((int) (step / 100) + 1)
        .setTimestamp(T0.plusSeconds(step))
        .setIndices(IntStream.range(0, size).mapToObj(this::index).toList())
        // The images are written in index order from index 0, one partition: index = offset.
        .setPartitions(IntStream.range(0, size).mapToObj(i -> 0).toList())
        .setOffsets(IntStream.range(0, size).mapToObj(this::index).toList())
        .setClasses(IntStream.range(0, size).mapToObj(this::classOf).toList())
        .setClassCorrect(bits(classRight))
        .setHeads(hits)
        .build();
  }

  /**
   * {@code evaluation} with a probe of {@code head}'s tap and labeling that ran at it, fitted on
   * every sample of the subset, predicting the samples of {@code hits}.
   */
  public SampleEvaluation probed(SampleEvaluation evaluation, String head, String hits) {
    List<HeadHits> probes = new ArrayList<>(evaluation.getProbes());
    probes.add(
        new HeadHits(
            head,
            IntStream.range(0, size).mapToObj(i -> randomLabel(head, i)).toList(),
            bits(hits)));
    return SampleEvaluation.newBuilder(evaluation).setProbeSamples(size).setProbes(probes).build();
  }

  private ByteBuffer bits(String hits) {
    if (hits.length() != size) {
      throw new IllegalArgumentException(hits + " is not " + size + " samples");
    }
    boolean[] set = new boolean[size];
    for (int i = 0; i < size; i++) {
      set[i] = hits.charAt(i) == '1';
    }
    return SampleBits.of(set);
  }

  /** The grey value of pixel (y, x) of image {@code index}: distinct per image and pixel. */
  public static int pixel(long index, int y, int x) {
    return (int) ((index * 7 + y * 3 + x * 5) % 256);
  }

  /** Image {@code index} of the data set's train split: grey, {@value #IMAGE_SIDE} square. */
  public ImageSample image(long index) {
    byte[] pixels = new byte[IMAGE_SIDE * IMAGE_SIDE];
    for (int y = 0; y < IMAGE_SIDE; y++) {
      for (int x = 0; x < IMAGE_SIDE; x++) {
        pixels[y * IMAGE_SIDE + x] = (byte) pixel(index, y, x);
      }
    }
    return ImageSample.newBuilder()
        .setDataset(dataset)
        .setSplit(Split.train)
        .setIndex(index)
        .setHeight(IMAGE_SIDE)
        .setWidth(IMAGE_SIDE)
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(pixels))
        .setLabel((int) (index % 2))
        .setNumClasses(2)
        .setRandomLabels(
            List.of(RandomLabels.label(LABEL_SEED, dataset, Split.train, index, 0, 10)))
        .setRandomClasses(RANDOM_CLASSES)
        .setLabelSeed(LABEL_SEED)
        .build();
  }

  /** Images {@code 0 .. count-1} to {@code samples.<dataset>.train}, in order, acknowledged. */
  public void produceImages(String bootstrapServers, int count) {
    try (KafkaProducer<Long, ImageSample> producer =
        new KafkaProducer<>(
            config(bootstrapServers), new LongSerializer(), new ImageSampleSerializer())) {
      List<Future<?>> acks = new ArrayList<>();
      for (long index = 0; index < count; index++) {
        acks.add(
            producer.send(
                new ProducerRecord<>(Topics.samples(dataset, Split.train), index, image(index))));
      }
      for (Future<?> ack : acks) {
        ack.get();
      }
    } catch (Exception e) {
      throw new AssertionError("producing images failed", e);
    }
  }

  /** The evaluations to {@code memoscope.evaluations}, keyed by run, in order, acknowledged. */
  public static void produce(String bootstrapServers, List<SampleEvaluation> evaluations) {
    try (KafkaProducer<String, SampleEvaluation> producer =
        new KafkaProducer<>(
            config(bootstrapServers), new StringSerializer(), new SampleEvaluationSerializer())) {
      for (SampleEvaluation e : evaluations) {
        producer.send(new ProducerRecord<>(Topics.EVALUATIONS, e.getRunId(), e)).get();
      }
    } catch (Exception e) {
      throw new AssertionError("producing evaluations failed", e);
    }
  }

  /**
   * Asserts that {@code exposition} has {@code expected} series of the sample families for {@code
   * run}, each labelled by run, data set and head with its class or group only, and that no series
   * at all carries a label naming a sample.
   */
  public static void assertBoundedSampleSeries(String exposition, String run, int expected) {
    List<PrometheusText.Sample> all = PrometheusText.parse(exposition);
    List<PrometheusText.Sample> ofRun =
        all.stream()
            .filter(
                s ->
                    (s.name().equals(Family.SAMPLES.sampleName())
                            || s.name().equals(Family.SAMPLES_MEMORIZED_FRACTION.sampleName()))
                        && run.equals(s.labels().get("run")))
            .toList();
    assertThat(ofRun).hasSize(expected);
    assertThat(ofRun)
        .allSatisfy(
            s ->
                assertThat(s.labels().keySet())
                    .isSubsetOf(
                        Set.of("run", "dataset", "head", "tap", "labeling", "class", "group")));
    assertThat(all)
        .allSatisfy(
            s -> assertThat(s.labels().keySet()).doesNotContain("index", "sample", "sample_index"));
  }

  private static Map<String, Object> config(String bootstrapServers) {
    Map<String, Object> config =
        ProducerSettings.safe(Map.of("bootstrap.servers", bootstrapServers));
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return config;
  }
}
