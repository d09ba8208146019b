package io.memoscope.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RunIdsTest {

  @ParameterizedTest
  @ValueSource(strings = {"run-1", "sweep_lambda-1e3", "A"})
  void acceptsRunIds(String runId) {
    assertThat(RunIds.validate(runId)).isEqualTo(runId);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {".", "..", "a.b", "a/b", "a b", "run:1"})
  void rejectsRunIdsThatAreNotSafeAsKeysLabelsAndDirectories(String runId) {
    assertThat(RunIds.isValid(runId)).isFalse();
    assertThatThrownBy(() -> RunIds.validate(runId)).hasMessageContaining("invalid run id");
  }

  @Test
  void hasALengthLimit() {
    assertThat(RunIds.isValid("r".repeat(RunIds.MAX_LENGTH))).isTrue();
    assertThat(RunIds.isValid("r".repeat(RunIds.MAX_LENGTH + 1))).isFalse();
  }
}
