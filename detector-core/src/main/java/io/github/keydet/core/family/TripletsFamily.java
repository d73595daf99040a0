package io.github.keydet.core.family;

import static io.github.keydet.core.family.HeadSpec.Channels.exactly;
import static io.github.keydet.core.family.HeadSpec.Channels.exactlyIfKnown;

import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.decode.TripletsDecoder;
import io.github.keydet.core.encode.CornerTargetEncoder;
import io.github.keydet.core.encode.TargetEncoder;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetOptions;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CenterNet-Triplets (Duan et al.): CornerNet's heads plus {@code ct_heat} [N, C, H, W] (logits) and optional
 * {@code ct_regr} [N, 2, H, W]; a corner pair is kept when a center keypoint of its class lies in the box's central
 * region. Decoded by {@link TripletsDecoder}, which pools the runs of one image (flip, scales) before checking
 * centers; K defaults to 70 (its {@code top_k}); targets by {@link CornerTargetEncoder} with centers.
 */
final class TripletsFamily extends CornerCodeFamily {
  @Override
  public ModelFamily id() {
    return ModelFamily.CENTERNET_TRIPLETS;
  }

  @Override
  public List<HeadSpec> heads(ModelSpec spec) {
    List<HeadSpec> h = new ArrayList<>(CornerNetFamily.cornerHeads(spec));
    h.add(4, HeadSpec.heatmap("ct_heat", exactlyIfKnown(Rows.classes(spec))));
    h.add(HeadSpec.optional("ct_regr", exactly(2)));
    return List.copyOf(h);
  }

  @Override
  public boolean recognises(Set<String> outputNames) {
    return outputNames.contains("tl_heat") && outputNames.contains("ct_heat");
  }


  @Override
  public int defaultK() {
    return 70;
  }

  @Override
  public HeadDecoder decoder(ModelSpec spec, DecodeOptions o) {
    return new TripletsDecoder(new TripletsDecoder.Config(o.kOr(defaultK()), o.kernel(), o.aeThreshold(),
        o.numDetsOr(defaultNumDets()), spec.heatmaps(), spec.stride(), o.smallBoxMaxArea()));
  }

  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    return Optional.empty();
  }

  @Override
  public boolean poolsRuns() {
    return true;
  }

  @Override
  public TargetEncoder encoder(TargetGeometry geometry, int numClasses, TargetOptions options) {
    options.requireNoCtdetSettings(id().id());
    return options.applyCommon(CornerTargetEncoder.builder(geometry, numClasses)).optCenters(true).build();
  }



  @Override
  public List<FamilyOption> decodeOptions() {
    return List.of(FamilyOptions.AE_THRESHOLD);
  }

  @Override
  public void writeRow(Candidate candidate, Map<String, Object> row) {
    Rows.putCenter(candidate, row);
  }
}
