package io.github.keydet.core.family;

import static io.github.keydet.core.family.HeadSpec.Channels.exactly;
import static io.github.keydet.core.family.HeadSpec.Channels.exactlyIfKnown;

import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.CenterNetDecoder;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.decode.LtrbDecoder;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import io.github.keydet.core.tta.HeadFlip;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * TTFNet-style center heat map plus distances: {@code hm} [N, C, H, W] and {@code ltrb} [N, 4, H, W] (left, top,
 * right, bottom distances from the cell, in input pixels). Decoded by {@link LtrbDecoder}; the flip test swaps the
 * left and right distances. No training targets here.
 */
final class LtrbFamily implements DetectorFamily {
  private static final int[] MIRRORED_LTRB = {2, 1, 0, 3};

  @Override
  public ModelFamily id() {
    return ModelFamily.TTFNET_LTRB;
  }

  @Override
  public List<HeadSpec> heads(ModelSpec spec) {
    return List.of(
        HeadSpec.heatmap("hm", exactlyIfKnown(Rows.classes(spec))),
        HeadSpec.required("ltrb", exactly(4)));
  }

  @Override
  public boolean recognises(Set<String> outputNames) {
    return outputNames.contains("hm") && outputNames.contains("ltrb");
  }

  @Override
  public Activation nativeHeatmaps() {
    return Activation.PROBABILITIES;
  }

  @Override
  public HeadDecoder decoder(ModelSpec spec, DecodeOptions o) {
    return new LtrbDecoder(
        new CenterNetDecoder.Config(o.kOr(defaultK()), o.kernel(), spec.heatmaps(), spec.layout()), spec.stride());
  }

  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    return Optional.of(FlipTable.of(heads(spec), Map.of("ltrb", ch -> HeadFlip.permuted(MIRRORED_LTRB, null))));
  }
}
