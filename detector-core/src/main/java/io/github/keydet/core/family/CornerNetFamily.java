package io.github.keydet.core.family;

import static io.github.keydet.core.family.HeadSpec.Channels.exactly;
import static io.github.keydet.core.family.HeadSpec.Channels.exactlyIfKnown;

import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.CornerNetDecoder;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.encode.CornerTargetEncoder;
import io.github.keydet.core.encode.TargetEncoder;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetOptions;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * CornerNet and CornerNet-Lite (Saccade and Squeeze export the same heads): {@code tl_heat}, {@code br_heat}
 * [N, C, H, W] corner heat maps (logits), {@code tl_tag}, {@code br_tag} [N, 1, H, W] embeddings, optional
 * {@code tl_regr}, {@code br_regr} [N, 2, H, W] offsets. Decoded by {@link CornerNetDecoder}; the flip test
 * decodes both runs and appends the mirror's boxes mirrored back; targets by {@link CornerTargetEncoder} on the
 * 511x511 crop.
 */
final class CornerNetFamily extends CornerCodeFamily {
  @Override
  public ModelFamily id() {
    return ModelFamily.CORNERNET;
  }

  @Override
  public List<HeadSpec> heads(ModelSpec spec) {
    return cornerHeads(spec);
  }

  /** The corner heads shared with CenterNet-Triplets. */
  static List<HeadSpec> cornerHeads(ModelSpec spec) {
    int c = Rows.classes(spec);
    return List.of(
        HeadSpec.heatmap("tl_heat", exactlyIfKnown(c)),
        HeadSpec.heatmap("br_heat", exactlyIfKnown(c)),
        HeadSpec.required("tl_tag", exactly(1)),
        HeadSpec.required("br_tag", exactly(1)),
        HeadSpec.optional("tl_regr", exactly(2)),
        HeadSpec.optional("br_regr", exactly(2)));
  }

  @Override
  public boolean recognises(Set<String> outputNames) {
    return outputNames.contains("tl_heat");
  }


  @Override
  public HeadDecoder decoder(ModelSpec spec, DecodeOptions o) {
    return new CornerNetDecoder(new CornerNetDecoder.Config(o.kOr(defaultK()), o.kernel(), o.aeThreshold(),
        o.numDetsOr(defaultNumDets()), o.rejectBorder(), spec.heatmaps()));
  }

  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    return Optional.empty();
  }

  @Override
  public TargetEncoder encoder(TargetGeometry geometry, int numClasses, TargetOptions options) {
    options.requireNoCtdetSettings(id().id());
    return options.applyCommon(CornerTargetEncoder.builder(geometry, numClasses)).build();
  }



  @Override
  public List<FamilyOption> decodeOptions() {
    return List.of(FamilyOptions.AE_THRESHOLD, FamilyOptions.NO_BORDER);
  }
}
