package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelFamily;

/** Default target encoders by model family. Stateless. */
public final class TargetEncoders {
  /** The default grid points of {@link ModelFamily#GRID_POINTS}: top-left, center, bottom-right. */
  public static final int[] DEFAULT_GRID_POINTS = {0, 4, 8};

  private TargetEncoders() {}

  /**
   * The family's encoder with the original code's defaults.
   *
   * @param family the model family
   * @param geometry where annotations land
   * @param numClasses C (multi_pose: number of pose classes, usually 1)
   * @throws InvalidConfigException for a family without training targets here ({@link ModelFamily#TTFNET_LTRB})
   */
  public static TargetEncoder forFamily(ModelFamily family, TargetGeometry geometry, int numClasses) {
    return switch (family) {
      case CENTERNET -> CtdetTargetEncoder.builder(geometry, numClasses).build();
      case CORNERNET -> CornerTargetEncoder.builder(geometry, numClasses).build();
      case CENTERNET_TRIPLETS -> CornerTargetEncoder.builder(geometry, numClasses).optCenters(true).build();
      case EXTREMENET -> ExtremeTargetEncoder.builder(geometry, numClasses).build();
      case MULTI_POSE -> MultiPoseTargetEncoder.builder(geometry).optNumClasses(numClasses).build();
      case DDD -> DddTargetEncoder.builder(geometry, numClasses).build();
      case GRID_POINTS -> GridPointTargetEncoder.builder(geometry, numClasses, DEFAULT_GRID_POINTS).build();
      default -> throw new InvalidConfigException(
          "no training targets for family " + family + "; supported: CENTERNET, CORNERNET, CENTERNET_TRIPLETS, "
              + "EXTREMENET, MULTI_POSE, DDD, GRID_POINTS");
    };
  }
}
