package io.memoscope.trainer.net;

import java.util.List;

/** The built-in feature extractors, by name. */
public final class Architectures {

  /** The graph's input vertex, where every architecture starts. */
  public static final String INPUT = "input";

  private static final List<Architecture> BUILT_IN = List.of(new SmallCnn(), new WideResNet());

  private Architectures() {}

  public static Architecture named(String name) {
    return BUILT_IN.stream()
        .filter(a -> a.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no architecture named '"
                        + name
                        + "'; choose one of "
                        + BUILT_IN.stream().map(Architecture::name).toList()));
  }

  public static List<String> names() {
    return BUILT_IN.stream().map(Architecture::name).toList();
  }
}
