package io.memoscope.ingest;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.kafka.AccessFailures;
import io.memoscope.protocol.kafka.ProducerSettings;
import io.memoscope.protocol.serde.DatasetInfoSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingest: a data set's train and test splits and its {@link DatasetInfo}, written in a single
 * Kafka transaction. Either all of it becomes visible to {@code read_committed} consumers or none
 * of it does: a bad image half-way through, a failed send, Ctrl-C or a crash all leave the topics
 * as they were. Every record is confirmed twice: by its send callback, and by each partition's
 * offsets after the commit.
 */
public final class Ingest {

  private static final Logger log = LoggerFactory.getLogger(Ingest.class);

  private final Map<String, Object> clientConfig;
  private final IngestConfig config;
  private final IngestProgress progress;
  private final BooleanSupplier cancelled;

  /**
   * @param clientConfig Kafka client settings ({@code bootstrap.servers} and any extras)
   * @param cancelled polled between records; once it turns true the ingest aborts
   */
  public Ingest(
      Map<String, Object> clientConfig,
      IngestConfig config,
      IngestProgress progress,
      BooleanSupplier cancelled) {
    this.clientConfig = Map.copyOf(clientConfig);
    this.config = config;
    this.progress = progress;
    this.cancelled = cancelled;
  }

  /**
   * Streams the data set into its topics and commits.
   *
   * @throws IngestException or, for bad input, {@link SourceException}: nothing was committed
   */
  public IngestSummary run(OpenedDataset data) {
    Map<String, Object> adminConfig = withTimeouts(clientConfig, config.timeout());
    // Bounded closes: with the broker gone, an unbounded close would wait for ever.
    Admin admin = Admin.create(adminConfig);
    try {
      ClusterCheck.awaitReachable(admin, clientConfig, config.timeout());
      KafkaProducer<byte[], byte[]> producer = producer();
      try {
        return run(data, admin, producer, new TopicScanner(adminConfig, config.timeout()));
      } finally {
        producer.close(config.timeout());
      }
    } finally {
      admin.close(config.timeout());
    }
  }

  /**
   * Creates the data set's sample topics and {@code memoscope.datasets} exactly as {@link #run}
   * does, and writes nothing: for producers of the records that do not create topics themselves.
   * With {@link IngestConfig.ExistingData#RECREATE} the sample topics are deleted first.
   */
  public static CreatedTopics createTopics(Map<String, Object> clientConfig, IngestConfig config) {
    Map<String, Object> adminConfig = withTimeouts(clientConfig, config.timeout());
    Admin admin = Admin.create(adminConfig);
    try {
      ClusterCheck.awaitReachable(admin, clientConfig, config.timeout());
      return new SampleTopics(admin, new TopicScanner(adminConfig, config.timeout()), config)
          .ensure();
    } finally {
      admin.close(config.timeout());
    }
  }

  private IngestSummary run(
      OpenedDataset data,
      Admin admin,
      KafkaProducer<byte[], byte[]> producer,
      TopicScanner scanner) {
    // Also fences and aborts whatever a crashed ingest of this data set left open.
    try {
      producer.initTransactions();
    } catch (TransactionalIdAuthorizationException e) {
      throw new IngestException(
          "not authorized to use the transactional id "
              + transactionalId()
              + " (needs WRITE and DESCRIBE on TRANSACTIONAL_ID memoscope-ingest-, see "
              + AccessFailures.ACL_DOCS
              + "); nothing was written",
          e);
    }
    Map<Split, Long> existing = new SampleTopics(admin, scanner, config).prepare();
    new DatasetCompatibility(scanner).check(config, data, existing);
    PartitionOffsets before = PartitionOffsets.snapshot(admin, config.dataset(), config.timeout());

    long started = System.nanoTime();
    Map<Split, Long> counts = plannedCounts(data);
    SentRecords sent = new SentRecords();
    progress.started(config.dataset(), counts.values().stream().mapToLong(Long::longValue).sum());
    producer.beginTransaction();
    try {
      fetchMetadata(producer, counts);
      sendSamples(data, producer, sent, existing, counts);
      sendDatasetInfo(producer, sent, datasetInfo(data, existing, counts));
      producer.flush();
      sent.throwIfFailed();
      producer.commitTransaction();
    } catch (RuntimeException e) {
      abort(producer);
      throw e;
    } finally {
      progress.finished();
    }
    before.verifyCommitted(admin, sent, config.timeout());
    return new IngestSummary(
        config.dataset(),
        counts,
        existing,
        sent.sampleBytes(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private void sendSamples(
      OpenedDataset data,
      KafkaProducer<byte[], byte[]> producer,
      SentRecords sent,
      Map<Split, Long> existing,
      Map<Split, Long> counts) {
    LongSerializer keys = new LongSerializer();
    long done = 0;
    try (ReadAhead source =
        new ReadAhead(data, counts, "memoscope-ingest-reader-" + config.dataset())) {
      for (Split split : Split.values()) {
        String topic = Topics.samples(config.dataset(), split);
        long firstIndex = existing.get(split);
        SampleEncoder values =
            new SampleEncoder(config, split, data.shape(), data.classNames().size());
        long wanted = counts.get(split);
        long read = 0;
        for (Iterator<RawSample> samples = source.samples(split); samples.hasNext(); ) {
          RawSample raw = samples.next();
          if (cancelled.getAsBoolean()) {
            throw new IngestException("interrupted: nothing was committed");
          }
          sent.throwIfFailed();
          long index = firstIndex + raw.index();
          byte[] value = values.encode(index, raw);
          producer.send(
              new ProducerRecord<>(topic, keys.serialize(topic, index), value),
              sent.sample(value.length));
          read++;
          progress.advanced(++done);
        }
        if (read != wanted) {
          throw new SourceException(
              String.format(
                  "%s split: the source announced %,d samples but gave %,d", split, wanted, read));
        }
      }
    }
  }

  /**
   * A topic's first send waits for the topic's metadata, and with one request in flight per
   * connection ({@link ProducerSettings#safe}) a metadata request made mid-stream queues behind a
   * produce request. Asking for every topic of the transaction before the first record costs a
   * round trip each on a connection that is still idle.
   */
  private void fetchMetadata(KafkaProducer<byte[], byte[]> producer, Map<Split, Long> counts) {
    for (Split split : Split.values()) {
      if (counts.get(split) > 0) {
        producer.partitionsFor(Topics.samples(config.dataset(), split));
      }
    }
    producer.partitionsFor(Topics.DATASETS);
  }

  private void sendDatasetInfo(
      KafkaProducer<byte[], byte[]> producer, SentRecords sent, DatasetInfo info) {
    byte[] key = info.getName().getBytes(StandardCharsets.UTF_8);
    byte[] value = new DatasetInfoSerializer().serialize(Topics.DATASETS, info);
    producer.send(new ProducerRecord<>(Topics.DATASETS, key, value), sent.other());
  }

  private Map<Split, Long> plannedCounts(OpenedDataset data) {
    Map<Split, Long> counts = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      counts.put(split, Math.min(data.count(split), config.limit()));
    }
    return counts;
  }

  private DatasetInfo datasetInfo(
      OpenedDataset data, Map<Split, Long> existing, Map<Split, Long> counts) {
    ImageShape shape = data.shape();
    return DatasetInfo.newBuilder()
        .setName(config.dataset())
        .setClassNames(data.classNames())
        .setHeight(shape.height())
        .setWidth(shape.width())
        .setChannels(shape.channels())
        .setTrainCount(existing.get(Split.train) + counts.get(Split.train))
        .setTestCount(existing.get(Split.test) + counts.get(Split.test))
        .setRandomClasses(config.randomClasses())
        .setLabelSeed(config.seed())
        .setLabelings(config.labelings())
        .setCreatedAt(Instant.now())
        .build();
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> producerConfig = ProducerSettings.safe(clientConfig);
    producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
    producerConfig.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    // One transactional id per data set: a second ingest of the same data set fences the first.
    producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
    producerConfig.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) config.transactionTimeout().toMillis());
    producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.timeout().toMillis());
    return new KafkaProducer<>(
        producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private String transactionalId() {
    return "memoscope-ingest-" + config.dataset();
  }

  private static void abort(KafkaProducer<byte[], byte[]> producer) {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      // The broker aborts an open transaction by itself at its timeout; nothing becomes visible.
      log.warn(
          "could not abort the transaction ({}); the broker will abort it at its timeout",
          e.getMessage());
    }
  }

  private static Map<String, Object> withTimeouts(
      Map<String, Object> clientConfig, Duration timeout) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    return config;
  }
}
