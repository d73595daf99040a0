package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidConfigException;

/**
 * The settings every target encoder's builder has: geometry and C (required), M object slots and the Gaussian
 * radius rule (optional). Each family's {@code Builder} extends it with its own options. Not thread-safe.
 *
 * @param <B> the family's builder, returned by the {@code opt*} methods
 */
public abstract class EncoderBuilder<B extends EncoderBuilder<B>> {
  final TargetGeometry geometry;
  int numClasses;
  int maxObjects;
  RadiusRule rule = RadiusRule.PLUS_ROOT_OVER_TWO;
  double minOverlap = RadiusRule.DEFAULT_MIN_OVERLAP;

  EncoderBuilder(TargetGeometry geometry, int numClasses, int defaultMaxObjects) {
    this.geometry = InvalidConfigException.requireOption(geometry, "geometry");
    this.numClasses = numClasses;
    this.maxObjects = defaultMaxObjects;
  }

  abstract B self();

  /**
   * M, the number of object slots (defaults as the original code: 128 for ctdet, CornerNet's {@code max_tag_len},
   * ExtremeNet and grid points; 50 for ddd (KITTI); 32 for multi-pose (COCO keypoints)).
   */
  public B optMaxObjects(int m) {
    maxObjects = m;
    return self();
  }

  /**
   * The radius rule (default {@link RadiusRule#PLUS_ROOT_OVER_TWO}, what CenterNet's and CornerNet's code use;
   * CornerNet-Lite uses {@link RadiusRule#SMALLEST_ROOT}).
   */
  public B optRadiusRule(RadiusRule r) {
    rule = InvalidConfigException.requireOption(r, "optRadiusRule");
    return self();
  }

  /** The radius rule's minimum overlap, {@code gaussian_iou} (default 0.7). */
  public B optMinOverlap(double v) {
    minOverlap = v;
    return self();
  }

  /** Checks the common settings: C and M positive, minimum overlap in (0, 1). */
  void validate() {
    EncoderSupport.checkPositive("numClasses", numClasses);
    EncoderSupport.checkPositive("maxObjects", maxObjects);
    RadiusRule.checkMinOverlap(minOverlap);
  }
}
