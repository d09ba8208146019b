package io.memoscope.trainer.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;

/** The benchmark's settings, from {@code key=value} arguments; see {@link #USAGE}. */
record BenchOptions(
    int threads,
    int torchThreads,
    int batch,
    int steps,
    int warmup,
    int rounds,
    boolean helpers,
    CacheMode cacheMode,
    WorkspaceMode workspaces,
    boolean samePadding,
    boolean torch,
    String python,
    String torchScript,
    String torchBlas,
    boolean memoscopeModel,
    boolean defaultNetwork,
    int evaluated,
    String taps,
    String heads) {

  static final String USAGE =
      "key=value …: threads (default OMP_NUM_THREADS, else half the processors, 1 to 8), torch-threads"
          + " (default threads), batch (128), steps per round (60), warmup steps (50), rounds (7),"
          + " helpers on|off (on), cache none|device (none), workspaces enabled|none (enabled),"
          + " padding same|valid (same), torch on|off (on), python (/usr/bin/python3),"
          + " torch-script (bench/pytorch_small_cnn.py), torch-blas (a folder with libblas.so.3 for"
          + " PyTorch, put first on its LD_LIBRARY_PATH; default none), model memoscope|graph (memoscope:"
          + " the trainer's MultiHeadModel step with its routing; graph: the bare two-output graph),"
          + " network default|plain (default: memoscope train's defaults — batch norm, SGD Nesterov 0.05,"
          + " a linear head trained on detached features — with an evaluation after each round; plain: no"
          + " batch norm, Adam 1e-3, one loss over both heads), eval (images evaluated after each round;"
          + " 4000 for the default network: a 2,000-image training subset and 2,000 test images; 0 for plain),"
          + " taps penultimate|all and heads linear|mlp (default network only: where the random-label heads"
          + " read, and what they are; penultimate, linear)";

  private static final Set<String> KEYS =
      Set.of(
          "threads",
          "torch-threads",
          "batch",
          "steps",
          "warmup",
          "rounds",
          "helpers",
          "cache",
          "workspaces",
          "padding",
          "torch",
          "python",
          "torch-script",
          "torch-blas",
          "model",
          "network",
          "eval",
          "taps",
          "heads");

  static BenchOptions parse(String[] args, int defaultThreads) {
    Map<String, String> values = new HashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (equals < 1 || !KEYS.contains(arg.substring(0, equals))) {
        throw new IllegalArgumentException("bad argument '" + arg + "'; " + USAGE);
      }
      values.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    int threads = Integer.parseInt(values.getOrDefault("threads", String.valueOf(defaultThreads)));
    boolean defaultNetwork = network(values.getOrDefault("network", "default"));
    if (!defaultNetwork && (values.containsKey("taps") || values.containsKey("heads"))) {
      throw new IllegalArgumentException(
          "taps= and heads= choose the default network's heads; network=plain has one"
              + " linear head at the penultimate tap");
    }
    return new BenchOptions(
        threads,
        Integer.parseInt(values.getOrDefault("torch-threads", String.valueOf(threads))),
        Integer.parseInt(values.getOrDefault("batch", "128")),
        Integer.parseInt(values.getOrDefault("steps", "60")),
        Integer.parseInt(values.getOrDefault("warmup", "50")),
        Integer.parseInt(values.getOrDefault("rounds", "7")),
        onOff(values.getOrDefault("helpers", "on")),
        CacheMode.valueOf(values.getOrDefault("cache", "none").toUpperCase()),
        WorkspaceMode.valueOf(values.getOrDefault("workspaces", "enabled").toUpperCase()),
        padding(values.getOrDefault("padding", "same")),
        onOff(values.getOrDefault("torch", "on")),
        values.getOrDefault("python", "/usr/bin/python3"),
        values.getOrDefault("torch-script", "bench/pytorch_small_cnn.py"),
        values.getOrDefault("torch-blas", ""),
        model(values.getOrDefault("model", "memoscope")),
        defaultNetwork,
        Integer.parseInt(values.getOrDefault("eval", defaultNetwork ? "4000" : "0")),
        oneOf("taps", values.getOrDefault("taps", "penultimate"), "penultimate", "all"),
        oneOf("heads", values.getOrDefault("heads", "linear"), "linear", "mlp"));
  }

  private static String oneOf(String key, String value, String... allowed) {
    if (!Set.of(allowed).contains(value)) {
      throw new IllegalArgumentException(
          key + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
    }
    return value;
  }

  /** The DL4J settings in one line, for the result. */
  String dl4jSettings() {
    // The trainer's own model sets its cache mode itself (MultiHeadModel: device); `cache=` is for
    // model=graph.
    return "helpers "
        + (helpers ? "on" : "off")
        + ", "
        + threads
        + " thread(s), cache "
        + (memoscopeModel ? "as memoscope train (device)" : cacheMode.name().toLowerCase())
        + ", workspaces "
        + workspaces.name().toLowerCase()
        + ", padding "
        + (samePadding ? "same" : "valid")
        + ", batch "
        + batch
        + (memoscopeModel
            ? ", MultiHeadModel step (class head + random-label heads with routing)"
            : ", bare graph")
        + (defaultNetwork
            ? ", memoscope train's default network, "
                + heads
                + " heads at "
                + ("all".equals(taps) ? "every tap" : "the penultimate tap")
            : ", plain network (no batch norm, Adam)")
        + ", "
        + evaluated
        + " images evaluated per round";
  }

  private static boolean onOff(String value) {
    switch (value) {
      case "on":
        return true;
      case "off":
        return false;
      default:
        throw new IllegalArgumentException("expected on or off, got '" + value + "'");
    }
  }

  private static boolean model(String value) {
    switch (value) {
      case "memoscope":
        return true;
      case "graph":
        return false;
      default:
        throw new IllegalArgumentException("expected memoscope or graph, got '" + value + "'");
    }
  }

  private static boolean network(String value) {
    switch (value) {
      case "default":
        return true;
      case "plain":
        return false;
      default:
        throw new IllegalArgumentException("expected default or plain, got '" + value + "'");
    }
  }

  private static boolean padding(String value) {
    switch (value) {
      case "same":
        return true;
      case "valid":
        return false;
      default:
        throw new IllegalArgumentException("expected same or valid, got '" + value + "'");
    }
  }
}
