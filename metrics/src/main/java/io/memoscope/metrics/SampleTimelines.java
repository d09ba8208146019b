package io.memoscope.metrics;

import io.memoscope.protocol.avro.SampleEvaluation;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a run's evaluations say about each sample of its subset: pure, so the metrics service (from
 * its state stores) and {@code memoscope samples} (from the topic) derive the same numbers.
 *
 * <p><b>One evaluation per step, the latest.</b> A resumed run evaluates again at the steps after
 * its checkpoint, which the interrupted process may already have evaluated: the later record of a
 * step replaces the earlier one, whatever came in between. A resume that retrains exactly what the
 * interrupted process trained produces the same records again and changes nothing; one that does
 * not replaces each repeated step with what the resumed network predicts there. Either way, once
 * the resumed run has passed the step where the first process stopped, every step holds the result
 * of the one training history that led to the final model, as in a run that was never interrupted.
 * Steps are ordered by number, not by arrival.
 *
 * <p><b>Per sample and head</b> ({@link #summary()}):
 *
 * <ul>
 *   <li>memorization onset: the step of the first evaluation of the unbroken stretch of
 *       evaluations, up to the latest, at which the head predicted the sample's random label; none
 *       when the latest evaluation did not predict it. A sample predicted, lost and predicted again
 *       has its onset where the last stretch began.
 *   <li>forgetting events of the class label (Toneva et al. 2019): how often the class was
 *       predicted right at one evaluation and wrong at the next.
 *   <li>right now and memorized now: the latest evaluation's class and random-label hits, and from
 *       them the four groups {class right, wrong} × {memorized, not}.
 * </ul>
 *
 * <p><b>Probes.</b> Where the independent probe ran (every {@code probe.every} evaluations), each
 * probe (tap and labeling) is a head of its own under {@code probe:tap/labeling}, whose evaluations
 * are only those it ran at: its onset is the first probe of the unbroken stretch of probes, up to
 * its latest, that predicted the sample; its groups those of its latest probe. A probe fitted on
 * fewer samples than the subset holds counts the others as not predicted.
 *
 * <p>Cost: one pass over the evaluations with bitset operations, {@code O(evaluations × (1 + heads
 * + probes) × n / 64)} words plus one step per changed bit.
 */
public final class SampleTimelines {

  /** Group label values: class right or wrong at the latest evaluation, memorized or not. */
  public static final String RIGHT_MEMORIZED = "right_memorized";

  public static final String RIGHT_NOT_MEMORIZED = "right_not_memorized";
  public static final String WRONG_MEMORIZED = "wrong_memorized";
  public static final String WRONG_NOT_MEMORIZED = "wrong_not_memorized";

  /** No onset: the latest evaluation does not predict the sample's random label. */
  public static final long NO_ONSET = -1;

  private final SampleSubset subset;
  private final List<SampleHits> evaluations;

  /**
   * @param evaluations the run's evaluations in the order they were made (topic order): of two with
   *     the same step, the later one is kept
   */
  public SampleTimelines(SampleSubset subset, Collection<SampleHits> evaluations) {
    this.subset = subset;
    TreeMap<Long, SampleHits> byStep = new TreeMap<>();
    evaluations.forEach(e -> byStep.put(e.step(), e));
    this.evaluations = List.copyOf(byStep.values());
  }

  /**
   * A run's timelines from its records in topic order: the first record fixes the subset, later
   * ones that score other samples or heads are left out (as the service leaves them out); the
   * probes are those of every record kept; empty when there are no records.
   */
  public static Optional<SampleTimelines> fromRecords(List<SampleEvaluation> records) {
    if (records.isEmpty()) {
      return Optional.empty();
    }
    SampleEvaluation first = records.get(0);
    SampleSubset subset = SampleSubset.of(first);
    List<SampleHits> hits = new ArrayList<>(records.size());
    for (SampleEvaluation record : records) {
      if (subset.mismatch(record).isEmpty()) {
        first = SampleSubset.learnProbes(first, record);
        hits.add(SampleHits.of(record));
      }
    }
    return Optional.of(new SampleTimelines(SampleSubset.of(first), hits));
  }

  public SampleSubset subset() {
    return subset;
  }

  /** One per evaluated step, in step order. */
  public List<SampleHits> evaluations() {
    return evaluations;
  }

  /**
   * The four groups at the latest evaluation: samples whose class is predicted right or wrong,
   * whose random label is predicted (memorized) or not.
   */
  public record Groups(
      int rightMemorized, int rightNotMemorized, int wrongMemorized, int wrongNotMemorized) {

    /** Group label value to count, in a fixed order. */
    public Map<String, Integer> byName() {
      Map<String, Integer> groups = new LinkedHashMap<>();
      groups.put(RIGHT_MEMORIZED, rightMemorized);
      groups.put(RIGHT_NOT_MEMORIZED, rightNotMemorized);
      groups.put(WRONG_MEMORIZED, wrongMemorized);
      groups.put(WRONG_NOT_MEMORIZED, wrongNotMemorized);
      return groups;
    }
  }

  /** A class's samples in the subset and how many of them a head has memorized now. */
  public record ClassShare(int classIndex, int samples, int memorized) {
    public double fraction() {
      return samples == 0 ? 0 : (double) memorized / samples;
    }
  }

  /**
   * One head's (or probe's) view of every sample. A probe's evaluations are those at which it ran:
   * its latest evaluation is its latest probe, its onset the first probe of the unbroken stretch of
   * probes, up to the latest, that predicted the sample.
   *
   * @param head the head id, or the probe's ({@link SampleSubset#probeId})
   * @param evaluations the evaluations it was evaluated at
   * @param lastStep the step of the latest of them, -1 without any
   * @param classRight samples whose class the latest of them predicts (the groups are made of it)
   * @param onset per sample the memorization onset step, {@link #NO_ONSET} when not memorized now
   * @param memorized samples whose random label the latest evaluation predicts
   * @param ever samples whose random label some evaluation predicted
   * @param groups the four groups at the latest evaluation
   * @param byClass per class present in the subset (ascending), its samples memorized now
   */
  public record HeadSummary(
      String head,
      int evaluations,
      long lastStep,
      BitSet classRight,
      long[] onset,
      BitSet memorized,
      BitSet ever,
      Groups groups,
      List<ClassShare> byClass) {}

  /**
   * Everything derived, for every head.
   *
   * @param evaluations evaluated steps
   * @param lastStep the latest evaluated step, -1 without evaluations
   * @param classRight samples whose class the latest evaluation predicts
   * @param forgetting per sample its forgetting events of the class label
   * @param heads per head of the subset, in its order
   * @param probes per probe of the subset, in its order
   */
  public record Summary(
      int evaluations,
      long lastStep,
      BitSet classRight,
      int[] forgetting,
      List<HeadSummary> heads,
      List<HeadSummary> probes) {

    /** The summary of head or probe {@code head}, if the run has it. */
    public Optional<HeadSummary> head(String head) {
      return all().stream().filter(h -> h.head().equals(head)).findFirst();
    }

    /** The heads', then the probes' summaries. */
    public List<HeadSummary> all() {
      List<HeadSummary> all = new ArrayList<>(heads);
      all.addAll(probes);
      return all;
    }
  }

  /**
   * Onset, forgetting and the groups of every sample, head and probe (see the class comment and
   * {@link HeadSummary}).
   */
  public Summary summary() {
    int n = subset.size();
    int[] forgetting = new int[n];
    BitSet previousRight = null;
    for (SampleHits evaluation : evaluations) {
      if (previousRight != null) {
        BitSet forgotten = difference(previousRight, evaluation.classRight());
        forgotten.stream().filter(i -> i < n).forEach(i -> forgetting[i]++);
      }
      previousRight = evaluation.classRight();
    }
    BitSet classRight = previousRight == null ? new BitSet(n) : previousRight;
    List<HeadSummary> heads = new ArrayList<>(subset.heads().size());
    for (int h = 0; h < subset.heads().size(); h++) {
      int head = h;
      heads.add(headSummary(subset.heads().get(h), evaluations, e -> e.heads().get(head)));
    }
    List<HeadSummary> probes = new ArrayList<>(subset.probes().size());
    for (String probe : subset.probes()) {
      List<SampleHits> probed =
          evaluations.stream().filter(e -> e.probes().containsKey(probe)).toList();
      probes.add(headSummary(probe, probed, e -> e.probes().get(probe)));
    }
    long lastStep = evaluations.isEmpty() ? -1 : evaluations.get(evaluations.size() - 1).step();
    return new Summary(
        evaluations.size(),
        lastStep,
        classRight,
        forgetting,
        List.copyOf(heads),
        List.copyOf(probes));
  }

  /** One head's or probe's summary from the evaluations it was evaluated at, in step order. */
  private HeadSummary headSummary(
      String id, List<SampleHits> evaluated, Function<SampleHits, BitSet> hitsOf) {
    int n = subset.size();
    long[] onset = new long[n];
    BitSet ever = new BitSet(n);
    BitSet previousHits = new BitSet(n);
    for (SampleHits evaluation : evaluated) {
      BitSet hits = hitsOf.apply(evaluation);
      // A stretch starts where the previous evaluation missed; where it still misses now, the
      // onset written here is stale and masked below by the latest hits.
      long step = evaluation.step();
      difference(hits, previousHits).stream().filter(i -> i < n).forEach(i -> onset[i] = step);
      ever.or(hits);
      previousHits = hits;
    }
    BitSet memorized = previousHits;
    for (int i = 0; i < n; i++) {
      if (!memorized.get(i)) {
        onset[i] = NO_ONSET;
      }
    }
    SampleHits last = evaluated.isEmpty() ? null : evaluated.get(evaluated.size() - 1);
    BitSet classRight = last == null ? new BitSet(n) : last.classRight();
    return new HeadSummary(
        id,
        evaluated.size(),
        last == null ? -1 : last.step(),
        classRight,
        onset,
        memorized,
        ever,
        groups(classRight, memorized, n),
        byClass(memorized));
  }

  /**
   * One sample at one evaluation: its class hit, each head's random-label hit and that of each
   * probe that ran at the evaluation (by probe id).
   */
  public record Point(
      long step,
      int epoch,
      long timestampMs,
      boolean classRight,
      boolean[] heads,
      Map<String, Boolean> probes) {}

  /** The sample at subset position {@code position} at every evaluation, in step order. */
  public List<Point> timeline(int position) {
    List<Point> points = new ArrayList<>(evaluations.size());
    for (SampleHits evaluation : evaluations) {
      boolean[] heads = new boolean[evaluation.heads().size()];
      for (int h = 0; h < heads.length; h++) {
        heads[h] = evaluation.heads().get(h).get(position);
      }
      Map<String, Boolean> probes = new LinkedHashMap<>();
      evaluation.probes().forEach((probe, hits) -> probes.put(probe, hits.get(position)));
      points.add(
          new Point(
              evaluation.step(),
              evaluation.epoch(),
              evaluation.timestampMs(),
              evaluation.classRight().get(position),
              heads,
              probes));
    }
    return points;
  }

  private static BitSet difference(BitSet set, BitSet minus) {
    BitSet result = (BitSet) set.clone();
    result.andNot(minus);
    return result;
  }

  private static Groups groups(BitSet classRight, BitSet memorized, int n) {
    int rightMemorized = 0;
    int right = 0;
    int memorizedCount = 0;
    for (int i = 0; i < n; i++) {
      boolean isRight = classRight.get(i);
      boolean isMemorized = memorized.get(i);
      right += isRight ? 1 : 0;
      memorizedCount += isMemorized ? 1 : 0;
      rightMemorized += isRight && isMemorized ? 1 : 0;
    }
    int wrongMemorized = memorizedCount - rightMemorized;
    return new Groups(
        rightMemorized, right - rightMemorized, wrongMemorized, n - right - wrongMemorized);
  }

  private List<ClassShare> byClass(BitSet memorized) {
    TreeMap<Integer, int[]> counts = new TreeMap<>();
    int[] classes = subset.classes();
    for (int i = 0; i < classes.length; i++) {
      int[] count = counts.computeIfAbsent(classes[i], c -> new int[2]);
      count[0]++;
      count[1] += memorized.get(i) ? 1 : 0;
    }
    List<ClassShare> shares = new ArrayList<>(counts.size());
    counts.forEach((cls, count) -> shares.add(new ClassShare(cls, count[0], count[1])));
    return List.copyOf(shares);
  }
}
