package io.memoscope.metrics;

import io.memoscope.protocol.RunIds;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.Split;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;

/**
 * The per-sample endpoints under {@code /api/runs/{id}/samples} (docs/metrics.md, "Per-sample
 * memorization"): the subset's samples of one head, ordered and filtered; one sample's timeline;
 * one sample's image. Answers are values ({@link Answer}) that {@link MetricsHttpServer} writes;
 * every refusal is a 4xx with a one-line JSON body {@code {"error": "..."}} that says what would be
 * accepted.
 */
final class SamplesApi {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 10_000;

  /**
   * A sample's image never changes (records of a sample topic are immutable), but a recreated data
   * set may put another image where a run's subset points: a day, not forever.
   */
  static final String IMAGE_CACHE_CONTROL = "public, max-age=86400";

  /** How the samples are ordered; ties go by sample index. */
  enum Order {
    /** Earliest memorization onset first, samples not memorized now last. */
    ONSET("onset"),
    /** Most forgetting events first. */
    FORGETTING("forgetting");

    final String value;

    Order(String value) {
      this.value = value;
    }
  }

  /** Which samples are listed. */
  enum Filter {
    ALL("all"),
    /** The random label is predicted at the latest evaluation. */
    MEMORIZED("memorized"),
    /** The random label was predicted at no evaluation. */
    NEVER("never"),
    /** Memorized at the latest evaluation while the class is predicted wrong. */
    MISCLASSIFIED_MEMORIZED("misclassified-memorized");

    final String value;

    Filter(String value) {
      this.value = value;
    }
  }

  /** An HTTP answer: a JSON body ({@code json}) or bytes of {@code contentType}. */
  record Answer(
      int status, String contentType, Object json, byte[] bytes, Map<String, String> headers) {

    static Answer json(int status, Object body) {
      return new Answer(status, "application/json", body, null, Map.of());
    }

    static Answer error(int status, String message) {
      return json(status, Map.of("error", message));
    }

    static Answer png(byte[] png) {
      return new Answer(200, "image/png", null, png, Map.of("Cache-Control", IMAGE_CACHE_CONTROL));
    }
  }

  /** A request refused with a 4xx; thrown where the problem is found, answered in one place. */
  private static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /**
   * Where the answers come from (the service's state stores and global tables).
   *
   * @param timelines a run's timelines, empty when it has no evaluation
   * @param subsets a run's subset alone, empty when it has no evaluation: what an image needs,
   *     without reading every evaluation
   * @param datasets a run's data set (from its manifest), empty while unknown
   */
  record Source(
      Function<String, Optional<SampleTimelines>> timelines,
      Function<String, Optional<SampleSubset>> subsets,
      Function<String, Optional<String>> datasets) {}

  private final Source source;
  private final Thumbnails thumbnails;

  SamplesApi(Source source, Thumbnails thumbnails) {
    this.source = source;
    this.thumbnails = thumbnails;
  }

  /**
   * @param run the run id of the path
   * @param rest the path after {@code /samples}: empty, {@code /INDEX} or {@code /INDEX.png}
   * @param query the query parameters
   */
  Answer answer(String run, String rest, Map<String, String> query) {
    try {
      if (!RunIds.isValid(run)) {
        throw new Refused(400, "not a run id: " + run);
      }
      if (rest.isEmpty() || rest.equals("/")) {
        return list(run, query);
      }
      if (!rest.startsWith("/")) {
        throw new Refused(404, "not found; try /api/runs/" + run + "/samples");
      }
      String item = rest.substring(1);
      boolean image = item.endsWith(".png");
      long index = sampleIndex(image ? item.substring(0, item.length() - ".png".length()) : item);
      return image ? image(run, index) : timeline(run, index);
    } catch (Refused refused) {
      return Answer.error(refused.status, refused.getMessage());
    }
  }

  private Answer list(String run, Map<String, String> query) {
    Order order = choice(query, "order", Order.values(), o -> o.value, Order.ONSET);
    Filter filter = choice(query, "filter", Filter.values(), f -> f.value, Filter.ALL);
    int limit = limit(query.get("limit"));
    SampleTimelines timelines = timelines(run);
    SampleSubset subset = timelines.subset();
    SampleTimelines.Summary summary = timelines.summary();
    String headId = query.get("head");
    if (headId == null) {
      headId = subset.heads().stream().findFirst().orElseThrow(() -> noHead(run, summary, null));
    }
    SampleTimelines.HeadSummary head = head(run, summary, headId);
    int[] randomLabels = subset.randomLabels(headId).orElseThrow();
    int[] matching =
        IntStream.range(0, subset.size())
            .filter(matches(filter, head))
            .boxed()
            .sorted(comparator(order, head, summary, subset))
            .mapToInt(Integer::intValue)
            .toArray();
    List<Map<String, Object>> rows =
        Arrays.stream(matching)
            .limit(limit)
            .mapToObj(
                i -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("index", subset.indices()[i]);
                  row.put("class", subset.classes()[i]);
                  row.put("randomLabel", randomLabels[i]);
                  row.put("onsetStep", onset(head, i));
                  row.put("forgetting", summary.forgetting()[i]);
                  row.put("classRight", head.classRight().get(i));
                  row.put("memorized", head.memorized().get(i));
                  row.put("image", imagePath(run, subset.indices()[i]));
                  return row;
                })
            .toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("run", run);
    body.put("dataset", source.datasets().apply(run).orElse(""));
    body.put("head", headId);
    body.put("heads", subset.heads());
    body.put("probes", subset.probes());
    body.put("subsetSize", subset.size());
    body.put("evaluations", summary.evaluations());
    body.put("lastStep", summary.lastStep());
    body.put("headEvaluations", head.evaluations());
    body.put("headLastStep", head.lastStep());
    body.put("groups", head.groups().byName());
    body.put(
        "memorizedByClass",
        head.byClass().stream()
            .map(
                share -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("class", share.classIndex());
                  row.put("samples", share.samples());
                  row.put("memorized", share.memorized());
                  row.put("fraction", share.fraction());
                  return row;
                })
            .toList());
    body.put("order", order.value);
    body.put("filter", filter.value);
    body.put("limit", limit);
    body.put("matching", matching.length);
    body.put("samples", rows);
    return Answer.json(200, body);
  }

  private Answer timeline(String run, long index) {
    SampleTimelines timelines = timelines(run);
    SampleSubset subset = timelines.subset();
    int position = position(run, subset, index);
    SampleTimelines.Summary summary = timelines.summary();
    Map<String, Object> heads = new LinkedHashMap<>();
    for (SampleTimelines.HeadSummary head : summary.all()) {
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("randomLabel", subset.randomLabels(head.head()).orElseThrow()[position]);
      state.put("onsetStep", onset(head, position));
      state.put("memorized", head.memorized().get(position));
      state.put("everMemorized", head.ever().get(position));
      heads.put(head.head(), state);
    }
    List<Map<String, Object>> points =
        timelines.timeline(position).stream()
            .map(
                point -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("step", point.step());
                  row.put("epoch", point.epoch());
                  row.put("timestamp", Instant.ofEpochMilli(point.timestampMs()).toString());
                  row.put("classRight", point.classRight());
                  Map<String, Boolean> hits = new LinkedHashMap<>();
                  for (int h = 0; h < point.heads().length; h++) {
                    hits.put(subset.heads().get(h), point.heads()[h]);
                  }
                  hits.putAll(point.probes());
                  row.put("heads", hits);
                  return row;
                })
            .toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("run", run);
    body.put("index", index);
    body.put("class", subset.classes()[position]);
    body.put("image", imagePath(run, index));
    body.put("evaluations", summary.evaluations());
    body.put("forgetting", summary.forgetting()[position]);
    body.put("classRight", summary.classRight().get(position));
    body.put("heads", heads);
    body.put("timeline", points);
    return Answer.json(200, body);
  }

  private Answer image(String run, long index) {
    SampleSubset subset = source.subsets().apply(run).orElseThrow(() -> noEvaluations(run));
    int position = position(run, subset, index);
    String dataset =
        source
            .datasets()
            .apply(run)
            .orElseThrow(
                () ->
                    new Refused(
                        404,
                        "no manifest of run "
                            + run
                            + " in "
                            + Topics.RUNS
                            + ": its data set, and so where its images are, is unknown"));
    TopicPartition partition =
        new TopicPartition(Topics.samples(dataset, Split.train), subset.partitions()[position]);
    Thumbnails.Result result = thumbnails.png(partition, subset.offsets()[position], index);
    if (result instanceof Thumbnails.Found found) {
      return Answer.png(found.png());
    }
    throw new Refused(404, ((Thumbnails.Missing) result).why());
  }

  private SampleTimelines timelines(String run) {
    return source.timelines().apply(run).orElseThrow(() -> noEvaluations(run));
  }

  private static Refused noEvaluations(String run) {
    return new Refused(
        404, "no sample evaluations of run " + run + " (none in " + Topics.EVALUATIONS + ")");
  }

  private static SampleTimelines.HeadSummary head(
      String run, SampleTimelines.Summary summary, String head) {
    return summary.head(head).orElseThrow(() -> noHead(run, summary, head));
  }

  /** {@code head} null: the request named none, and the run has none to default to. */
  private static Refused noHead(String run, SampleTimelines.Summary summary, String head) {
    List<String> heads = summary.all().stream().map(SampleTimelines.HeadSummary::head).toList();
    if (heads.isEmpty()) {
      return new Refused(404, "run " + run + " has no random-label heads");
    }
    return new Refused(
        404, "run " + run + " has no head " + head + "; its heads: " + String.join(", ", heads));
  }

  private static int position(String run, SampleSubset subset, long index) {
    return subset
        .position(index)
        .orElseThrow(
            () ->
                new Refused(
                    404, "sample " + index + " is not in the evaluation subset of run " + run));
  }

  private static long sampleIndex(String text) {
    try {
      long index = Long.parseLong(text);
      if (index >= 0) {
        return index;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new Refused(400, "not a sample index: '" + text + "' (a whole number >= 0)");
  }

  private static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new Refused(
        400, "limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + text + "'");
  }

  private static <T> T choice(
      Map<String, String> query,
      String name,
      T[] values,
      Function<T, String> valueOf,
      T otherwise) {
    String text = query.get(name);
    if (text == null) {
      return otherwise;
    }
    for (T value : values) {
      if (valueOf.apply(value).equals(text)) {
        return value;
      }
    }
    throw new Refused(
        400,
        name
            + " must be one of "
            + String.join(", ", Arrays.stream(values).map(valueOf).toList())
            + ", not '"
            + text
            + "'");
  }

  private static IntPredicate matches(Filter filter, SampleTimelines.HeadSummary head) {
    return switch (filter) {
      case ALL -> i -> true;
      case MEMORIZED -> head.memorized()::get;
      case NEVER -> i -> !head.ever().get(i);
      case MISCLASSIFIED_MEMORIZED -> i -> head.memorized().get(i) && !head.classRight().get(i);
    };
  }

  private static Comparator<Integer> comparator(
      Order order,
      SampleTimelines.HeadSummary head,
      SampleTimelines.Summary summary,
      SampleSubset subset) {
    Comparator<Integer> byIndex = Comparator.comparingLong(i -> subset.indices()[i]);
    Comparator<Integer> first =
        switch (order) {
          case ONSET ->
              Comparator.comparingLong(
                  i ->
                      head.onset()[i] == SampleTimelines.NO_ONSET
                          ? Long.MAX_VALUE
                          : head.onset()[i]);
          case FORGETTING ->
              Comparator.<Integer>comparingInt(i -> summary.forgetting()[i]).reversed();
        };
    return first.thenComparing(byIndex);
  }

  private static Long onset(SampleTimelines.HeadSummary head, int position) {
    long onset = head.onset()[position];
    return onset == SampleTimelines.NO_ONSET ? null : onset;
  }

  private static String imagePath(String run, long index) {
    return "/api/runs/" + run + "/samples/" + index + ".png";
  }
}
