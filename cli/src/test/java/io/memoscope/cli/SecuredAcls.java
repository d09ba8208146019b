package io.memoscope.cli;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;

import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/** The minimal ACLs of each memoscope service, as the tables of docs/security.md list them. */
final class SecuredAcls {

  /** One row of a table: operations allowed on a resource (a name or a prefix). */
  record Acl(ResourceType type, String name, PatternType pattern, Set<AclOperation> operations) {

    Acl(ResourceType type, String name, PatternType pattern, AclOperation... operations) {
      this(type, name, pattern, Set.of(operations));
    }

    Acl without(AclOperation operation) {
      Set<AclOperation> fewer = new java.util.HashSet<>(operations);
      fewer.remove(operation);
      return new Acl(type, name, pattern, Set.copyOf(fewer));
    }
  }

  private SecuredAcls() {}

  /** {@code memoscope ingest}. */
  static List<Acl> ingest() {
    return List.of(
        new Acl(
            TOPIC,
            Topics.SAMPLES_PREFIX,
            PREFIXED,
            CREATE,
            DESCRIBE,
            DESCRIBE_CONFIGS,
            READ,
            WRITE),
        new Acl(TOPIC, Topics.DATASETS, LITERAL, CREATE, DESCRIBE, DESCRIBE_CONFIGS, READ, WRITE),
        new Acl(TRANSACTIONAL_ID, "memoscope-ingest-", PREFIXED, DESCRIBE, WRITE));
  }

  /**
   * {@code memoscope train}, {@code replay} and {@code probe} of runs on {@code dataset} ({@code
   * runs} and {@code check} too).
   */
  static List<Acl> train(String dataset) {
    List<Acl> acls = new ArrayList<>();
    acls.add(new Acl(TOPIC, Topics.SAMPLES_PREFIX, PREFIXED, DESCRIBE, READ));
    acls.add(
        new Acl(TOPIC, "memoscope.", PREFIXED, CREATE, DESCRIBE, DESCRIBE_CONFIGS, READ, WRITE));
    for (Split split : Split.values()) {
      acls.add(
          new Acl(
              TOPIC,
              Topics.deadLetter(Topics.samples(dataset, split)),
              LITERAL,
              CREATE,
              DESCRIBE,
              DESCRIBE_CONFIGS,
              WRITE));
    }
    return acls;
  }

  /**
   * The metrics service with Kafka Streams application id {@code applicationId} ({@code samples}
   * too).
   */
  static List<Acl> metrics(String applicationId) {
    return List.of(
        new Acl(TOPIC, Topics.SAMPLES_PREFIX, PREFIXED, DESCRIBE, READ),
        new Acl(TOPIC, "memoscope.", PREFIXED, CREATE, DESCRIBE, DESCRIBE_CONFIGS, READ),
        new Acl(
            TOPIC,
            applicationId + "-",
            PREFIXED,
            CREATE,
            DELETE,
            DESCRIBE,
            DESCRIBE_CONFIGS,
            READ,
            WRITE),
        new Acl(GROUP, applicationId, LITERAL, DESCRIBE, READ));
  }

  static void grant(EmbeddedKafka kafka, String user, List<Acl> acls) {
    for (Acl acl : acls) {
      kafka.grant(
          user,
          acl.type(),
          acl.name(),
          acl.pattern(),
          acl.operations().toArray(AclOperation[]::new));
    }
  }
}
