package io.github.keydet.core.family;

import io.github.keydet.core.tta.FlipRules;
import io.github.keydet.core.tta.HeadFlip;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A family's flip rules as a table: its heat maps are the heads it declares as such; a head in {@code rules} merges
 * as given, sub-pixel offsets ({@code reg}, {@code *_regr}, {@code hp_offset}) keep the original, every other head
 * is averaged with the mirror's. Immutable.
 */
final class FlipTable implements FlipRules {
  /** Per-head rule given its channel count. */
  @FunctionalInterface
  interface Rule {
    HeadFlip of(int channels);
  }

  private final Set<String> heatmaps;
  private final Map<String, Rule> rules;

  private FlipTable(Set<String> heatmaps, Map<String, Rule> rules) {
    this.heatmaps = Set.copyOf(heatmaps);
    this.rules = Map.copyOf(rules);
  }

  /** Rules for a family's heads, with these heads merged specially. */
  static FlipTable of(java.util.List<HeadSpec> heads, Map<String, Rule> special) {
    return new FlipTable(
        heads.stream().filter(HeadSpec::heatmap).map(HeadSpec::name).collect(Collectors.toSet()), special);
  }

  @Override
  public HeadFlip rule(String name, int channels) {
    Rule r = rules.get(name);
    if (r != null) {
      return r.of(channels);
    }
    if (name.equals("reg") || name.endsWith("_regr") || name.equals("hp_offset")) {
      return HeadFlip.original();
    }
    return HeadFlip.average();
  }

  @Override
  public boolean isHeatmap(String name) {
    return heatmaps.contains(name);
  }
}
