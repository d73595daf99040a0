package io.github.keydet.core.family;

import io.github.keydet.core.decode.DddDecoder;

/**
 * The {@code keydet decode} options of the built-in families (their spelling is the command-line contract). A
 * family lists the ones it reads in {@link DetectorFamily#decodeOptions()}; an option two families share is one
 * constant here.
 */
final class FamilyOptions {
  private FamilyOptions() {}

  static final FamilyOption AE_THRESHOLD = new FamilyOption("--ae-threshold", Float.class,
      "CORNERNET/TRIPLETS: embedding distance threshold.", "0.5",
      (b, v) -> b.optAeThreshold((Float) v));

  static final FamilyOption NO_BORDER = new FamilyOption("--no-border", Boolean.class,
      "CORNERNET: reject pairs with a tl corner on the top row or left column or a br corner on the bottom row or"
          + " right column (CornerNet-Lite's no_border).", "false",
      (b, v) -> b.optRejectBorder((Boolean) v));

  static final FamilyOption AGGR_WEIGHT = new FamilyOption("--aggr-weight", Double.class,
      "EXTREMENET: edge aggregation weight (default 0.1; 0 disables).", null,
      (b, v) -> b.optAggrWeight((Double) v));

  static final FamilyOption CLASS_AGNOSTIC = new FamilyOption("--class-agnostic", Boolean.class,
      "EXTREMENET: the class-agnostic grouping.", "false",
      (b, v) -> b.optClassAgnostic((Boolean) v));

  static final FamilyOption SCORES_THRESH = new FamilyOption("--scores-thresh", Float.class,
      "EXTREMENET: extreme-point score threshold.", "0.1",
      (b, v) -> b.optExtremeScoreThreshold((Float) v));

  static final FamilyOption CENTER_THRESH = new FamilyOption("--center-thresh", Float.class,
      "EXTREMENET: center score threshold.", "0.1",
      (b, v) -> b.optCenterThreshold((Float) v));

  static final FamilyOption JOINT_THRESH = new FamilyOption("--joint-thresh", Float.class,
      "MULTI_POSE: heatmap joint threshold.", "0.1",
      (b, v) -> b.optJointThreshold((Float) v));

  static final FamilyOption JOINT_DIST_RATIO = new FamilyOption("--joint-dist-ratio", Float.class,
      "MULTI_POSE: max joint distance / max(box h, w).", "0.3",
      (b, v) -> b.optJointDistanceRatio((Float) v));

  static final FamilyOption DEPTH_METRES = new FamilyOption("--depth-metres", Boolean.class,
      "DDD: 'dep' already holds metres (default: raw output, 1/sigmoid - 1).", "false",
      (b, v) -> b.optDepthInput((Boolean) v ? DddDecoder.DepthInput.METRES : DddDecoder.DepthInput.RAW_OUTPUT));
}
