package io.github.keydet.core.family;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetOptions;

/**
 * The crop of the CornerNet code base (CornerNet, Triplets, ExtremeNet): 511x511 input, 128x128 output; with
 * another input size W x H the output is ((W + 1) / 4) x ((H + 1) / 4), as 511 gives 128.
 */
final class CornerGeometry {
  private CornerGeometry() {}

  static TargetGeometry of(int width, int height, TargetOptions options, String family) {
    if (options.keepRes()) {
      throw new InvalidConfigException("keep_res is CenterNet's setting; " + family + " crops a fixed input size");
    }
    int inW = options.inputWidth() > 0 ? options.inputWidth() : 511;
    int inH = options.inputHeight() > 0 ? options.inputHeight() : 511;
    return TargetGeometry.builder(inW, inH)
        .optCenterScale(width / 2.0, height / 2.0, Math.max(width, height), 0)
        .optOutputSize((inW + 1) / 4, (inH + 1) / 4)
        .build();
  }
}
