package io.memoscope.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.avro.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

  @Test
  void fixedTopicNames() {
    assertThat(Topics.DATASETS).isEqualTo("memoscope.datasets");
    assertThat(Topics.EVENTS).isEqualTo("memoscope.events");
    assertThat(Topics.RUNS).isEqualTo("memoscope.runs");
  }

  @Test
  void sampleTopicsArePrefixedAndNamedBySplit() {
    assertThat(Topics.samples("fashion-mnist", Split.train))
        .isEqualTo("samples.fashion-mnist.train");
    assertThat(Topics.samples("cifar10", Split.test)).isEqualTo("samples.cifar10.test");
  }

  @Test
  void deadLetterTopicAppendsDlq() {
    assertThat(Topics.deadLetter("samples.cifar10.test")).isEqualTo("samples.cifar10.test.dlq");
    assertThat(Topics.deadLetter(Topics.EVENTS)).isEqualTo("memoscope.events.dlq");
  }

  @Test
  void deadLetterRejectsIllegalOrTooLongTopics() {
    assertThatThrownBy(() -> Topics.deadLetter("bad topic"))
        .hasMessageContaining("invalid topic name 'bad topic'");
    String longest = "t".repeat(Topics.MAX_TOPIC_NAME_LENGTH);
    assertThatThrownBy(() -> Topics.deadLetter(longest)).hasMessageContaining(".dlq");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mnist", "fashion-mnist", "cifar_10", "0day", "a"})
  void acceptsDatasetNames(String name) {
    assertThat(Topics.validateDatasetName(name)).isEqualTo(name);
    assertThat(Topics.samples(name, Split.train)).isEqualTo("samples." + name + ".train");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"a.b", "a:b", "Mnist", "-mnist", "_mnist", "mn ist", "mnïst", "a/b"})
  void rejectsDatasetNamesThatBreakTopicsOrLabelKeys(String name) {
    assertThat(Topics.isValidDatasetName(name)).isFalse();
    assertThatThrownBy(() -> Topics.samples(name, Split.train))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid data set name");
  }

  @Test
  void datasetNamesHaveALengthLimit() {
    assertThat(Topics.isValidDatasetName("a".repeat(Topics.MAX_DATASET_NAME_LENGTH))).isTrue();
    assertThat(Topics.isValidDatasetName("a".repeat(Topics.MAX_DATASET_NAME_LENGTH + 1))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", "a b", "a:b", "ä"})
  void rejectsIllegalKafkaTopicNames(String topic) {
    assertThat(Topics.isValidTopicName(topic)).isFalse();
  }
}
