package io.memoscope.trainer.net;

import java.util.List;

/**
 * What an {@link Architecture} added: its taps in depth order. The last tap is the penultimate
 * feature: the class head reads it, and it is the default tap for a random-label head.
 */
public record Trunk(List<Tap> taps) {

  public Trunk {
    taps = List.copyOf(taps);
    if (taps.isEmpty()) {
      throw new IllegalArgumentException("an architecture needs at least one tap");
    }
  }

  public Tap penultimate() {
    return taps.get(taps.size() - 1);
  }

  public Tap tap(String name) {
    return taps.stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no tap named '"
                        + name
                        + "'; this architecture has "
                        + taps.stream().map(Tap::name).toList()));
  }
}
