package io.github.keydet.core.family;

import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetOptions;
import io.github.keydet.core.heads.Activation;

/**
 * What the families of the CornerNet code base share (CornerNet, CenterNet-Triplets, ExtremeNet): their decoders
 * take logits, and their training crop is 511x511 with a 128x128 output ({@link CornerGeometry}); all have
 * training targets here.
 */
abstract class CornerCodeFamily implements DetectorFamily {
  @Override
  public final Activation nativeHeatmaps() {
    return Activation.LOGITS;
  }

  @Override
  public final boolean hasTargets() {
    return true;
  }

  @Override
  public final TargetGeometry targetGeometry(int width, int height, TargetOptions options) {
    return CornerGeometry.of(width, height, options, id().id());
  }
}
