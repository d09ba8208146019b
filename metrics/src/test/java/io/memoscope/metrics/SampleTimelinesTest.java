package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.avro.SampleEvaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pure derivation, on evaluations whose answers are worked out by hand. */
class SampleTimelinesTest {

  static final String HEAD = "penultimate/0";
  static final String OTHER = "logits/1";
  final SampleEvaluations run = new SampleEvaluations("r1", "digits", 5, List.of(HEAD, OTHER));

  /**
   * Five samples over steps 100..500. Head {@value #HEAD}: sample 0 predicted, lost at 300, again
   * from 400; sample 1 only at 500; sample 2 lost at the last; sample 3 always; sample 4 never.
   * Class: sample 0 right/wrong alternating (2 forgetting events), 1 always right, 2 wrong-right-
   * wrong-wrong-right (1), 3 always wrong, 4 right then wrong (1).
   */
  List<SampleEvaluation> fiveEvaluations() {
    return List.of(
        run.at(100, "11001", "10110", "00000"),
        run.at(200, "01100", "10110", "00000"),
        run.at(300, "11000", "00110", "00000"),
        run.at(400, "01000", "10110", "11111"),
        run.at(500, "11100", "11010", "11111"));
  }

  SampleTimelines.Summary summary(List<SampleEvaluation> records) {
    return SampleTimelines.fromRecords(records).orElseThrow().summary();
  }

  @Test
  void theOnsetIsWhereTheLatestUnbrokenStretchOfHitsBegan() {
    SampleTimelines.HeadSummary head = summary(fiveEvaluations()).head(HEAD).orElseThrow();
    assertThat(head.onset()).containsExactly(400, 500, -1, 100, -1);
    assertThat(IntStream.range(0, 5).filter(head.memorized()::get)).containsExactly(0, 1, 3);
    assertThat(IntStream.range(0, 5).filter(head.ever()::get)).containsExactly(0, 1, 2, 3);
    SampleTimelines.HeadSummary other = summary(fiveEvaluations()).head(OTHER).orElseThrow();
    assertThat(other.onset()).containsExactly(400, 400, 400, 400, 400);
  }

  @Test
  void forgettingEventsCountRightToWrongTransitionsOfTheClass() {
    SampleTimelines.Summary summary = summary(fiveEvaluations());
    assertThat(summary.forgetting()).containsExactly(2, 0, 1, 0, 1);
    assertThat(summary.evaluations()).isEqualTo(5);
    assertThat(summary.lastStep()).isEqualTo(500);
    assertThat(IntStream.range(0, 5).filter(summary.classRight()::get)).containsExactly(0, 1, 2);
  }

  @Test
  void theGroupsAndTheClassSharesAreThoseOfTheLatestEvaluation() {
    SampleTimelines.HeadSummary head = summary(fiveEvaluations()).head(HEAD).orElseThrow();
    // latest: class right 0,1,2; memorized 0,1,3
    assertThat(head.groups()).isEqualTo(new SampleTimelines.Groups(2, 1, 1, 1));
    assertThat(head.groups().byName())
        .containsExactly(
            java.util.Map.entry("right_memorized", 2),
            java.util.Map.entry("right_not_memorized", 1),
            java.util.Map.entry("wrong_memorized", 1),
            java.util.Map.entry("wrong_not_memorized", 1));
    // classes i % 2: class 0 = samples 0, 2, 4 (memorized: 0); class 1 = samples 1, 3 (both)
    assertThat(head.byClass())
        .containsExactly(
            new SampleTimelines.ClassShare(0, 3, 1), new SampleTimelines.ClassShare(1, 2, 2));
    assertThat(head.byClass().get(0).fraction()).isEqualTo(1.0 / 3);
  }

  @Test
  void aResumeThatEvaluatesStepsAgainGivesTheTimelinesOfAnUninterruptedRun() {
    List<SampleEvaluation> uninterrupted = fiveEvaluations();
    // The first process evaluated 100..400 (its 300 and 400 differ: it trained other batches after
    // its checkpoint at 250, or on another backend); the resumed one evaluates 300, 400, 500.
    List<SampleEvaluation> interrupted = new ArrayList<>(uninterrupted.subList(0, 2));
    interrupted.add(run.at(300, "00000", "11111", "11111"));
    interrupted.add(run.at(400, "11111", "00000", "00000"));
    interrupted.addAll(uninterrupted.subList(2, 5));
    assertSameDerivation(summary(interrupted), summary(uninterrupted));

    // Exactly repeated records (a deterministic resume, or a record processed again) change
    // nothing.
    List<SampleEvaluation> repeated = new ArrayList<>(uninterrupted);
    repeated.addAll(uninterrupted.subList(1, 4));
    assertSameDerivation(summary(repeated), summary(uninterrupted));
  }

  @Test
  void stepsAreOrderedByNumberNotByArrival() {
    List<SampleEvaluation> shuffled = new ArrayList<>(fiveEvaluations());
    java.util.Collections.reverse(shuffled);
    // fromRecords takes the first record's subset, which is the same for all of them.
    assertSameDerivation(summary(shuffled), summary(fiveEvaluations()));
    assertThat(
            SampleTimelines.fromRecords(shuffled).orElseThrow().evaluations().stream()
                .map(SampleHits::step))
        .containsExactly(100L, 200L, 300L, 400L, 500L);
  }

  @Test
  void aRecordOfAnotherSubsetOrOtherHeadsIsLeftOut() {
    List<SampleEvaluation> records = new ArrayList<>(fiveEvaluations());
    records.add(
        new SampleEvaluations("r1", "digits", 4, List.of(HEAD, OTHER))
            .at(600, "0000", "0000", "0000"));
    records.add(new SampleEvaluations("r1", "digits", 5, List.of(HEAD)).at(700, "00000", "00000"));
    assertSameDerivation(summary(records), summary(fiveEvaluations()));
    assertThat(SampleTimelines.fromRecords(List.of())).isEmpty();
  }

  @Test
  void aSamplesTimelineHasItsHitsAtEveryEvaluation() {
    SampleTimelines timelines = SampleTimelines.fromRecords(fiveEvaluations()).orElseThrow();
    List<SampleTimelines.Point> points = timelines.timeline(0);
    assertThat(points)
        .extracting(SampleTimelines.Point::step)
        .containsExactly(100L, 200L, 300L, 400L, 500L);
    assertThat(points)
        .extracting(SampleTimelines.Point::classRight)
        .containsExactly(true, false, true, false, true);
    assertThat(points).extracting(p -> p.heads()[0]).containsExactly(true, true, false, true, true);
    assertThat(points)
        .extracting(p -> p.heads()[1])
        .containsExactly(false, false, false, true, true);
    assertThat(points.get(0).timestampMs())
        .isEqualTo(SampleEvaluations.T0.plusSeconds(100).toEpochMilli());
    assertThat(timelines.subset().position(run.index(3))).hasValue(3);
    assertThat(timelines.subset().position(11)).isEmpty();
  }

  @Test
  void theStoredBitsReadBackAsTheyWereWritten() {
    SampleHits hits = SampleHits.of(run.at(300, "11000", "00110", "00001"));
    SampleHitsSerde serde = new SampleHitsSerde();
    SampleHits back =
        serde.deserializer().deserialize("t", serde.serializer().serialize("t", hits));
    assertThat(back).isEqualTo(hits);
  }

  static final String PROBE = "probe:" + HEAD;

  /**
   * {@link #fiveEvaluations} with a probe of {@value #HEAD}'s place at steps 200 ({@code 11100}),
   * 400 ({@code 01110}) and 500 ({@code 11010}): the first record has none.
   */
  List<SampleEvaluation> probedAt200And400And500() {
    List<SampleEvaluation> records = new ArrayList<>(fiveEvaluations());
    records.set(1, run.probed(records.get(1), HEAD, "11100"));
    records.set(3, run.probed(records.get(3), HEAD, "01110"));
    records.set(4, run.probed(records.get(4), HEAD, "11010"));
    return records;
  }

  @Test
  void aProbeCountsOnlyTheEvaluationsItRanAt() {
    SampleTimelines.Summary summary = summary(probedAt200And400And500());
    // Probes at 200, 400, 500 (step 300 has none, so it breaks no stretch): sample 0 hit, missed,
    // hit (onset 500); 1 always (200); 2 hit, hit, missed (none); 3 missed, hit, hit (400); 4
    // never.
    SampleTimelines.HeadSummary probe = summary.head(PROBE).orElseThrow();
    assertThat(summary.probes())
        .extracting(SampleTimelines.HeadSummary::head)
        .containsExactly(PROBE);
    assertThat(probe.evaluations()).isEqualTo(3);
    assertThat(probe.lastStep()).isEqualTo(500);
    assertThat(probe.onset()).containsExactly(500, 200, -1, 400, -1);
    assertThat(IntStream.range(0, 5).filter(probe.memorized()::get)).containsExactly(0, 1, 3);
    assertThat(IntStream.range(0, 5).filter(probe.ever()::get)).containsExactly(0, 1, 2, 3);
    // class at 500: right 0, 1, 2
    assertThat(probe.groups()).isEqualTo(new SampleTimelines.Groups(2, 1, 1, 1));
    // The co-trained heads, their head ids included, are what they were without the probe.
    assertSameDerivation(summary, summary(fiveEvaluations()));
    assertThat(summary.head(HEAD).orElseThrow().onset()).containsExactly(400, 500, -1, 100, -1);
    assertThat(SampleTimelines.fromRecords(probedAt200And400And500()).orElseThrow().subset().ids())
        .containsExactly(HEAD, OTHER, PROBE);
  }

  @Test
  void aProbesLatestEvaluationIsItsLatestProbeNotTheRunsLatestEvaluation() {
    List<SampleEvaluation> records = probedAt200And400And500();
    records.set(4, fiveEvaluations().get(4)); // no probe at 500
    SampleTimelines.HeadSummary probe = summary(records).head(PROBE).orElseThrow();
    // Probes at 200 (11100) and 400 (01110); class at 400: right 1 only.
    assertThat(probe.lastStep()).isEqualTo(400);
    assertThat(probe.onset()).containsExactly(-1, 200, 200, 400, -1);
    assertThat(IntStream.range(0, 5).filter(probe.classRight()::get)).containsExactly(1);
    assertThat(probe.groups()).isEqualTo(new SampleTimelines.Groups(1, 0, 2, 2));
    // /metrics: aggregates of the co-trained heads only, 2 heads × (2 classes + 4 groups).
    assertThat(SampleSeries.of(summary(records))).hasSize(2 * (2 + 4));
  }

  @Test
  void aSamplesTimelineHasAProbesHitsWhereItRan() {
    List<SampleTimelines.Point> points =
        SampleTimelines.fromRecords(probedAt200And400And500()).orElseThrow().timeline(0);
    assertThat(points)
        .extracting(SampleTimelines.Point::probes)
        .containsExactly(
            Map.of(), Map.of(PROBE, true), Map.of(), Map.of(PROBE, false), Map.of(PROBE, true));
  }

  @Test
  void storedBitsWithProbesReadBackAndThoseStoredBeforeProbesStillRead() {
    SampleHitsSerde serde = new SampleHitsSerde();
    SampleHits probed = SampleHits.of(probedAt200And400And500().get(3));
    assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", probed)))
        .isEqualTo(probed);
    // Version 1, before probes: the same layout without the probe count at the end.
    SampleHits plain = SampleHits.of(run.at(300, "11000", "00110", "00001"));
    byte[] version2 = serde.serializer().serialize("t", plain);
    byte[] version1 = java.util.Arrays.copyOf(version2, version2.length - 4);
    version1[0] = 1;
    assertThat(serde.deserializer().deserialize("t", version1)).isEqualTo(plain);
  }

  static void assertSameDerivation(
      SampleTimelines.Summary actual, SampleTimelines.Summary expected) {
    assertThat(actual.evaluations()).isEqualTo(expected.evaluations());
    assertThat(actual.lastStep()).isEqualTo(expected.lastStep());
    assertThat(actual.classRight()).isEqualTo(expected.classRight());
    assertThat(actual.forgetting()).containsExactly(expected.forgetting());
    assertThat(actual.heads()).hasSameSizeAs(expected.heads());
    for (int h = 0; h < expected.heads().size(); h++) {
      SampleTimelines.HeadSummary a = actual.heads().get(h);
      SampleTimelines.HeadSummary e = expected.heads().get(h);
      assertThat(a.head()).isEqualTo(e.head());
      assertThat(a.onset()).as(e.head()).containsExactly(e.onset());
      assertThat(a.memorized()).as(e.head()).isEqualTo(e.memorized());
      assertThat(a.ever()).as(e.head()).isEqualTo(e.ever());
      assertThat(a.groups()).as(e.head()).isEqualTo(e.groups());
      assertThat(a.byClass()).as(e.head()).isEqualTo(e.byClass());
    }
  }
}
