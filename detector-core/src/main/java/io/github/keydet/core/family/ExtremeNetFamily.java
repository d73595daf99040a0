package io.github.keydet.core.family;

import static io.github.keydet.core.family.HeadSpec.Channels.exactly;
import static io.github.keydet.core.family.HeadSpec.Channels.exactlyIfKnown;

import io.github.keydet.api.Keypoint;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.coco.CocoAnnotation;
import io.github.keydet.core.coco.CocoObjects;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.ExtremeNetDecoder;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.encode.ExtremeTargetEncoder;
import io.github.keydet.core.encode.ObjectAnnotation;
import io.github.keydet.core.encode.TargetEncoder;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetOptions;
import io.github.keydet.core.geometry3d.CameraCalibration;
import io.github.keydet.core.mask.Octagon;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.core.post.Postprocessor;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import io.github.keydet.core.tta.HeadFlip;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ExtremeNet: {@code t_heat}, {@code l_heat}, {@code b_heat}, {@code r_heat} extreme-point heat maps and
 * {@code ct_heat} center heat map, [N, C, H, W] logits; optional {@code *_regr} [N, 2, H, W] offsets. Decoded by
 * {@link ExtremeNetDecoder} (geometric grouping, K 40 per map); the flip test averages {@code l_heat} with the
 * mirror's {@code r_heat} and back; detections carry the four points (t, l, b, r) and the octagon polygon; targets
 * by {@link ExtremeTargetEncoder} from the annotations' extreme points.
 */
final class ExtremeNetFamily extends CornerCodeFamily {
  @Override
  public ModelFamily id() {
    return ModelFamily.EXTREMENET;
  }

  @Override
  public List<HeadSpec> heads(ModelSpec spec) {
    var c = exactlyIfKnown(Rows.classes(spec));
    return List.of(
        HeadSpec.heatmap("t_heat", c),
        HeadSpec.heatmap("l_heat", c),
        HeadSpec.heatmap("b_heat", c),
        HeadSpec.heatmap("r_heat", c),
        HeadSpec.heatmap("ct_heat", c),
        HeadSpec.optional("t_regr", exactly(2)),
        HeadSpec.optional("l_regr", exactly(2)),
        HeadSpec.optional("b_regr", exactly(2)),
        HeadSpec.optional("r_regr", exactly(2)));
  }

  @Override
  public boolean recognises(Set<String> outputNames) {
    return outputNames.contains("t_heat");
  }


  @Override
  public int defaultK() {
    return 40;
  }

  @Override
  public HeadDecoder decoder(ModelSpec spec, DecodeOptions o) {
    return new ExtremeNetDecoder(new ExtremeNetDecoder.Config(o.kOr(defaultK()), o.kernel(), o.aggrWeight(),
        o.extremeScoreThreshold(), o.centerThreshold(), o.numDetsOr(defaultNumDets()), o.classAgnostic(),
        spec.heatmaps()));
  }

  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    return Optional.of(FlipTable.of(heads(spec), Map.of(
        "l_heat", ch -> HeadFlip.withPartner("r_heat"),
        "r_heat", ch -> HeadFlip.withPartner("l_heat"))));
  }

  /** The octagon of the four extreme points (t, l, b, r in image pixels) as the detection's polygon. */
  @Override
  public Postprocessor postprocessor(PostprocessConfig config, CameraCalibration calibration) {
    return new Postprocessor(config, (points, score) -> {
      if (points.size() != 4) {
        return List.of();
      }
      float[] tlbr = new float[8];
      for (int i = 0; i < 4; i++) {
        tlbr[2 * i] = points.get(i).x();
        tlbr[2 * i + 1] = points.get(i).y();
      }
      float[] v = Octagon.fromExtremePoints(tlbr).vertices();
      List<Keypoint> outline = new ArrayList<>(8);
      for (int i = 0; i < v.length; i += 2) {
        outline.add(new Keypoint(v[i], v[i + 1], score));
      }
      return outline;
    }, null);
  }

  @Override
  public TargetEncoder encoder(TargetGeometry geometry, int numClasses, TargetOptions options) {
    options.requireNoCtdetSettings(id().id());
    return options.applyCommon(ExtremeTargetEncoder.builder(geometry, numClasses)).build();
  }



  /** Adds the extreme points, from the polygons or else the RLE mask, as ExtremeNet's tool computes them. */
  @Override
  public ObjectAnnotation annotation(CocoAnnotation annotation, ObjectAnnotation box) {
    return box.withExtremePoints(CocoObjects.extremePoints(annotation));
  }

  @Override
  public List<FamilyOption> decodeOptions() {
    return List.of(FamilyOptions.AGGR_WEIGHT, FamilyOptions.CLASS_AGNOSTIC, FamilyOptions.SCORES_THRESH,
        FamilyOptions.CENTER_THRESH);
  }

  @Override
  public void writeRow(Candidate candidate, Map<String, Object> row) {
    Rows.putPoints(candidate, row);
  }
}
