package io.github.keydet.core.family;

import io.github.keydet.core.encode.TargetGeometry;

/** The test-time crop of the CornerNet code base (CornerNet, Triplets, ExtremeNet): 511x511 input, 128x128 output. */
final class CornerGeometry {
  private CornerGeometry() {}

  static TargetGeometry of(int width, int height) {
    return TargetGeometry.builder(511, 511)
        .optCenterScale(width / 2.0, height / 2.0, Math.max(width, height), 0)
        .optOutputSize(128, 128)
        .build();
  }
}
