package io.github.keydet.core.tta;

/**
 * A family's flip-test rule for heads that are merged (CenterNet's way): which heads are heat maps and how each
 * head merges with the mirrored run's. Families that merge decoded candidates instead (CornerNet's way) have none.
 */
public interface FlipRules {
  /**
   * How head {@code name} merges.
   *
   * @param name canonical head name
   * @param channels its channel count
   */
  HeadFlip rule(String name, int channels);

  /** Whether head {@code name} is a heat map (its values go through the activation before averaging). */
  boolean isHeatmap(String name);
}
