package io.github.keydet.core.family;

import static io.github.keydet.core.family.HeadSpec.Channels.eitherOf;
import static io.github.keydet.core.family.HeadSpec.Channels.exactly;
import static io.github.keydet.core.family.HeadSpec.Channels.exactlyIfKnown;

import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.CenterNetDecoder;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.encode.CtdetTargetEncoder;
import io.github.keydet.core.encode.TargetEncoder;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetOptions;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CenterNet "Objects as Points" ctdet: {@code hm} [N, C, H, W] center heat map, {@code wh} [N, 2, H, W] box size
 * (or [N, 2C, H, W] with {@code --cat_spec_wh}), optional {@code reg} [N, 2, H, W] sub-pixel offset. Decoded by
 * {@link CenterNetDecoder}; flip test averages {@code hm} and {@code wh}; targets by {@link CtdetTargetEncoder}.
 */
final class CenterNetFamily implements DetectorFamily {
  @Override
  public ModelFamily id() {
    return ModelFamily.CENTERNET;
  }

  @Override
  public List<HeadSpec> heads(ModelSpec spec) {
    int c = Rows.classes(spec);
    return List.of(
        HeadSpec.heatmap("hm", exactlyIfKnown(c)),
        HeadSpec.required("wh", eitherOf(2, 2 * c)),
        HeadSpec.optional("reg", exactly(2)));
  }

  @Override
  public boolean recognises(Set<String> outputNames) {
    return outputNames.contains("hm") && outputNames.contains("wh");
  }

  @Override
  public Activation nativeHeatmaps() {
    return Activation.PROBABILITIES;
  }

  @Override
  public HeadDecoder decoder(ModelSpec spec, DecodeOptions o) {
    return new CenterNetDecoder(
        new CenterNetDecoder.Config(o.kOr(defaultK()), o.kernel(), spec.heatmaps(), spec.layout()));
  }

  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    return Optional.of(FlipTable.of(heads(spec), Map.of()));
  }

  @Override
  public TargetEncoder encoder(TargetGeometry geometry, int numClasses, TargetOptions options) {
    CtdetTargetEncoder.Builder b = options.applyCommon(CtdetTargetEncoder.builder(geometry, numClasses))
        .optDenseWh(options.denseWh()).optCategorySpecificWh(options.catSpecWh());
    if (options.heatmapStyle() != null) {
      b.optHeatmapStyle(options.heatmapStyle(), options.hmGauss());
    }
    return b.build();
  }

  @Override
  public boolean hasTargets() {
    return true;
  }
}
