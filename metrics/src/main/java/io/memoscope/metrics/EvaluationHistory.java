package io.memoscope.metrics;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.SampleEvaluation;
import io.memoscope.protocol.serde.SampleEvaluationDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A run's sample evaluations read straight from {@code memoscope.evaluations} ({@link
 * RunPartition}), in topic order, for {@link SampleTimelines#fromRecords}: what {@code memoscope
 * samples} exports without a metrics service. Records that do not decode are skipped, as the
 * service skips them.
 */
public final class EvaluationHistory {

  private EvaluationHistory() {}

  /**
   * @throws org.apache.kafka.common.errors.TimeoutException when reading takes longer than {@code
   *     timeout}
   */
  public static List<SampleEvaluation> read(
      Map<String, Object> clientConfig, String run, Duration timeout) {
    SampleEvaluationDeserializer deserializer = new SampleEvaluationDeserializer();
    List<SampleEvaluation> records = new ArrayList<>();
    RunPartition.read(
        clientConfig,
        Topics.EVALUATIONS,
        run,
        RunPartition.Position.START,
        timeout,
        value -> {
          try {
            records.add(deserializer.deserialize(Topics.EVALUATIONS, value));
          } catch (SerializationException e) {
            // skipped
          }
        },
        () -> {});
    return records;
  }
}
