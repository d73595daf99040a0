package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.Layout;

import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.spec.ModelSpec;

/**
 * The one place where a family becomes its decoder: a model spec (family, heatmap activation, layout, stride)
 * and test-time options in, a configured {@link HeadDecoder} out.
 */
public final class DecoderFactory {
  private DecoderFactory() {}

  /** The decoder for a spec's family. */
  public static HeadDecoder create(ModelSpec spec, DecodeOptions o) {
    ModelFamily f = spec.family();
    int k = o.k(f);
    Activation act = spec.heatmaps();
    Layout layout = spec.layout();
    return switch (f) {
      case CENTERNET -> new CenterNetDecoder(new CenterNetDecoder.Config(k, o.kernel(), act, layout));
      case TTFNET_LTRB -> new LtrbDecoder(new CenterNetDecoder.Config(k, o.kernel(), act, layout), spec.stride());
      case CORNERNET -> new CornerNetDecoder(
          new CornerNetDecoder.Config(k, o.kernel(), o.aeThreshold(), o.numDets(f), o.rejectBorder(), act));
      case CENTERNET_TRIPLETS -> new TripletsDecoder(new TripletsDecoder.Config(
          k, o.kernel(), o.aeThreshold(), o.numDets(f), act, spec.stride(), o.smallBoxMaxArea()));
      case EXTREMENET -> new ExtremeNetDecoder(new ExtremeNetDecoder.Config(k, o.kernel(), o.aggrWeight(),
          o.extremeScoreThreshold(), o.centerThreshold(), o.numDets(f), o.classAgnostic(), act));
      case MULTI_POSE -> new MultiPoseDecoder(new MultiPoseDecoder.Config(
          k, o.kernel(), act, layout, o.jointThreshold(), o.jointDistanceRatio()));
      case DDD -> new DddDecoder(new DddDecoder.Config(k, o.kernel(), act, layout, o.depthInput()));
      case GRID_POINTS -> new GridPointsDecoder(new GridPointsDecoder.Config(
          k, o.kernel(), act, layout, o.gridIouThreshold(), o.numDets(f)));
    };
  }
}
