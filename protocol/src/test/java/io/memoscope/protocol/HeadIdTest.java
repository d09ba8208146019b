package io.memoscope.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A head's name, written by the trainer and read back by the metrics service and the reports. */
class HeadIdTest {

  @Test
  void theIdIsTapSlashLabelingAndParsesBack() {
    HeadId head = new HeadId("penultimate", 3);

    assertThat(head.id()).isEqualTo("penultimate/3").isEqualTo(head.toString());
    assertThat(HeadId.parse("penultimate/3")).isEqualTo(head);
  }

  @Test
  void aTapWithASlashKeepsItTheLabelingIsAfterTheLastOne() {
    assertThat(HeadId.parse("block/2/conv/1")).isEqualTo(new HeadId("block/2/conv", 1));
  }

  @Test
  void anEventAboutTheHeadCarriesHeadTapAndLabelingLabels() {
    assertThat(new HeadId("input", 0).labels())
        .isEqualTo(
            Map.of(
                EventLabels.HEAD, "input/0", EventLabels.TAP, "input", EventLabels.LABELING, "0"));
  }

  @Test
  void whatIsNotAHeadIdIsRefusedNamingIt() {
    assertThatThrownBy(() -> HeadId.parse("penultimate"))
        .hasMessage("'penultimate' is not a head id (tap/labeling)");
    assertThatThrownBy(() -> HeadId.parse("/0")).hasMessageContaining("'/0' is not a head id");
    assertThatThrownBy(() -> HeadId.parse("penultimate/x"))
        .hasMessage(
            "'penultimate/x' is not a head id (tap/labeling): the labeling is not a number");
    assertThatThrownBy(() -> new HeadId("penultimate", -1))
        .hasMessage("labeling must be >= 0, not -1");
  }
}
