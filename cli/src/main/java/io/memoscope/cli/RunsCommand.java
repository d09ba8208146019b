package io.memoscope.cli;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.serde.RunManifestDeserializer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code memoscope runs}: the runs recorded in {@code memoscope.runs}, one line each. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List the runs recorded in memoscope.runs.")
final class RunsCommand implements Callable<Integer> {

  @ParentCommand
  Memoscope root;

  @Spec
  CommandSpec spec;

  @Mixin
  KafkaOptions kafka;

  @Override
  public Integer call() {
    Map<String, RunManifest> runs = new TreeMap<>();
    RunManifestDeserializer deserializer = new RunManifestDeserializer();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.adminConfig(root.sources()),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.RUNS, kafka.timeout).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, kafka.timeout);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            runs.remove(record.key());
          } else {
            runs.put(record.key(), deserializer.deserialize(Topics.RUNS, record.value()));
          }
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (runs.isEmpty()) {
      out.println("no runs yet");
    }
    runs.values().forEach(run -> out.printf("%-32s %-20s %s  epochs %s, model %s, seed %s%n", run.getRunId(),
        run.getDataset(), run.getCreatedAt(), run.getConfig().get("epochs"), run.getConfig().get("model.name"),
        run.getConfig().get("seed")));
    return 0;
  }
}
