package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.InvalidSettingException.require;
import static io.memoscope.trainer.config.Settings.HEADS_HIDDEN_WIDTH;
import static io.memoscope.trainer.config.Settings.HEADS_KIND;
import static io.memoscope.trainer.config.Settings.HEADS_LABELINGS;
import static io.memoscope.trainer.config.Settings.HEADS_LAMBDA;
import static io.memoscope.trainer.config.Settings.HEADS_READOUT;
import static io.memoscope.trainer.config.Settings.HEADS_READOUT_WIDTH;
import static io.memoscope.trainer.config.Settings.HEADS_TAPS;

import io.memoscope.trainer.net.HeadSpec;
import io.memoscope.trainer.net.Readout;
import io.memoscope.trainer.net.Tap;
import io.memoscope.trainer.net.Trunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The random-label heads H_k.
 *
 * @param taps where heads read: {@code [penultimate]}, tap names, or {@code [all]}
 * @param kind linear, or an MLP with one hidden layer
 * @param hiddenWidth width of an MLP head's hidden layer (ignored by linear heads)
 * @param lambda weight of each head's memorization regularizer
 * @param labelings K, random labelings each tap gets a head for; {@link #ALL_LABELINGS} = every
 *     labeling the data set has
 * @param readout how a head (and a probe) reads a tap: {@link Readout#EQUAL} the same number of
 *     features at every tap, or {@link Readout#POOLED} the tap's global average (as many features
 *     as it has channels)
 * @param readoutWidth the features an equal readout gives at every tap; {@link #PENULTIMATE_WIDTH}
 *     = as many as the penultimate tap has
 */
public record HeadsConfig(
    List<String> taps,
    Kind kind,
    int hiddenWidth,
    Lambdas lambda,
    int labelings,
    Readout readout,
    int readoutWidth) {

  public static final String ALL = "all";
  public static final String PENULTIMATE = "penultimate";
  public static final int ALL_LABELINGS = 0;
  public static final int PENULTIMATE_WIDTH = 0;

  public enum Kind {
    LINEAR,
    MLP
  }

  public HeadsConfig {
    require(taps != null && !taps.isEmpty(), HEADS_TAPS, "must name at least one tap");
    taps = List.copyOf(taps);
    require(new HashSet<>(taps).size() == taps.size(), HEADS_TAPS, "names a tap twice: " + taps);
    for (String tap : taps) {
      require(tap.matches("[A-Za-z0-9_-]+"), HEADS_TAPS, "has an invalid tap name '" + tap + "'");
    }
    require(
        !taps.contains(ALL) || taps.size() == 1,
        HEADS_TAPS,
        "'all' cannot be combined with tap names");
    require(kind != null, HEADS_KIND, "must be linear or mlp");
    require(hiddenWidth >= 1, HEADS_HIDDEN_WIDTH, "must be at least 1, not " + hiddenWidth);
    require(lambda != null, HEADS_LAMBDA, "must be set");
    require(labelings >= 0, HEADS_LABELINGS, "must be 'all' or at least 1, not " + labelings);
    require(readout != null, HEADS_READOUT, "must be equal or pooled");
    require(
        readoutWidth >= 0,
        HEADS_READOUT_WIDTH,
        "must be >= 1, or 0 for the penultimate tap's width, not " + readoutWidth);
  }

  public static HeadsConfig defaults() {
    return new HeadsConfig(
        List.of(PENULTIMATE),
        Kind.LINEAR,
        128,
        Lambdas.of(0),
        ALL_LABELINGS,
        Readout.EQUAL,
        PENULTIMATE_WIDTH);
  }

  /** The hidden width a {@link HeadSpec} takes: 0 for a linear head. */
  public int specHiddenWidth() {
    return kind == Kind.MLP ? hiddenWidth : 0;
  }

  /** How many labelings get heads, given how many the data set has. */
  public int resolveLabelings(int available) {
    int have = Math.max(1, available);
    if (labelings == ALL_LABELINGS) {
      return have;
    }
    require(
        labelings <= have,
        HEADS_LABELINGS,
        "is " + labelings + " but the data set has " + have + " labeling(s)");
    return labelings;
  }

  /**
   * The taps that get heads, in depth order. {@code penultimate} means the trunk's last tap
   * whatever the architecture calls it.
   *
   * @throws IllegalArgumentException if a tap, or a tap with a λ override, is not one the heads
   *     read
   */
  public List<Tap> selectedTaps(Trunk trunk) {
    Set<String> chosen = new HashSet<>();
    for (String name : taps) {
      if (name.equals(ALL)) {
        trunk.taps().forEach(t -> chosen.add(t.name()));
      } else if (name.equals(PENULTIMATE)
          && trunk.taps().stream().noneMatch(t -> t.name().equals(PENULTIMATE))) {
        chosen.add(trunk.penultimate().name());
      } else {
        chosen.add(trunk.tap(name).name());
      }
    }
    List<Tap> selected = trunk.taps().stream().filter(t -> chosen.contains(t.name())).toList();
    for (String tap : lambda.perTap().keySet()) {
      require(
          chosen.contains(tap),
          HEADS_LAMBDA,
          "sets tap '" + tap + "' but the heads read " + selected.stream().map(Tap::name).toList());
    }
    return selected;
  }

  /**
   * One head per selected tap and labeling: tap-major, labelings 0..K-1.
   *
   * @param availableLabelings K of the data set
   * @param randomClasses n of the data set
   */
  public List<HeadSpec> specs(Trunk trunk, int availableLabelings, int randomClasses) {
    int k = resolveLabelings(availableLabelings);
    List<HeadSpec> specs = new ArrayList<>();
    for (Tap tap : selectedTaps(trunk)) {
      for (int labeling = 0; labeling < k; labeling++) {
        specs.add(
            new HeadSpec(
                tap.name(), labeling, randomClasses, lambda.forTap(tap.name()), specHiddenWidth()));
      }
    }
    return specs;
  }
}
