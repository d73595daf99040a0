package io.github.keydet.core.post;

import io.github.keydet.api.Keypoint;
import java.util.List;

/**
 * A family's polygon for a detection, built from its points in image pixels: ExtremeNet's octagon from its four
 * extreme points, nothing for most families. Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface Outline {
  /** No polygon. */
  Outline NONE = (points, score) -> List.of();

  /**
   * The polygon's vertices in image pixels, in order, each carrying {@code score}; empty for none.
   *
   * @param points the detection's points in image pixels (after clipping, when configured)
   * @param score the detection's score
   */
  List<Keypoint> polygon(List<Keypoint> points, float score);
}
