package io.github.keydet.core.family;

import static io.github.keydet.core.family.HeadSpec.Channels.exactly;
import static io.github.keydet.core.family.HeadSpec.Channels.exactlyIfKnown;

import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.coco.CocoAnnotation;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.decode.MultiPoseDecoder.JointSnapping;
import io.github.keydet.core.decode.MultiPoseDecoder;
import io.github.keydet.core.encode.MultiPoseTargetEncoder;
import io.github.keydet.core.encode.ObjectAnnotation;
import io.github.keydet.core.encode.TargetEncoder;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetOptions;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import io.github.keydet.core.tta.HeadFlip;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CenterNet multi_pose: {@code hm} [N, C, H, W] person centers, {@code wh} [N, 2, H, W], {@code hps} [N, 2J, H, W]
 * joint offsets from the center, optional {@code reg} [N, 2, H, W], {@code hm_hp} [N, J, H, W] joint heat map and
 * {@code hp_offset} [N, 2, H, W]; J = the spec's {@code numJoints} (17 for COCO). Decoded by {@link
 * MultiPoseDecoder}; the flip test swaps left/right joints (COCO's pairs when J = 17) and negates the x offsets;
 * targets by {@link MultiPoseTargetEncoder} from the annotations' keypoints.
 */
final class MultiPoseFamily implements DetectorFamily {
  /** COCO's 17 joints: each joint's left/right partner (nose and others map to themselves). */
  private static final int[] COCO_FLIP_INDEX = {0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15};

  @Override
  public ModelFamily id() {
    return ModelFamily.MULTI_POSE;
  }

  @Override
  public List<HeadSpec> heads(ModelSpec spec) {
    int j = spec.numJoints();
    return List.of(
        HeadSpec.heatmap("hm", exactlyIfKnown(Rows.classes(spec))),
        HeadSpec.required("wh", exactly(2)),
        HeadSpec.required("hps", exactlyIfKnown(2 * j)),
        HeadSpec.optional("reg", exactly(2)),
        HeadSpec.optionalHeatmap("hm_hp", exactlyIfKnown(j)),
        HeadSpec.optional("hp_offset", exactly(2)));
  }

  @Override
  public boolean recognises(Set<String> outputNames) {
    return outputNames.contains("hps");
  }

  @Override
  public Activation nativeHeatmaps() {
    return Activation.PROBABILITIES;
  }

  @Override
  public HeadDecoder decoder(ModelSpec spec, DecodeOptions o) {
    return JointHeads.decoder(spec, o, o.kOr(defaultK()), JointSnapping.GATED);
  }

  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    int joints = spec.numJoints();
    return Optional.of(FlipTable.of(heads(spec), Map.of(
        "hps", ch -> HeadFlip.permuted(offsetChannels(joints), offsetSigns(joints)),
        "hm_hp", ch -> HeadFlip.permuted(partners(joints), null))));
  }

  /** Each joint's left/right partner: COCO's pairs for 17 joints, else every joint is its own. */
  private static int[] partners(int joints) {
    int[] p = new int[joints];
    for (int j = 0; j < joints; j++) {
      p[j] = joints == COCO_FLIP_INDEX.length ? COCO_FLIP_INDEX[j] : j;
    }
    return p;
  }

  private static int[] offsetChannels(int joints) {
    int[] partner = partners(joints);
    int[] p = new int[2 * joints];
    for (int j = 0; j < joints; j++) {
      p[2 * j] = 2 * partner[j];
      p[2 * j + 1] = 2 * partner[j] + 1;
    }
    return p;
  }

  private static float[] offsetSigns(int joints) {
    float[] s = new float[2 * joints];
    for (int j = 0; j < joints; j++) {
      s[2 * j] = -1f;
      s[2 * j + 1] = 1f;
    }
    return s;
  }

  @Override
  public TargetEncoder encoder(TargetGeometry geometry, int numClasses, TargetOptions options) {
    options.requireNoCtdetSettings(id().id());
    return options.applyCommon(MultiPoseTargetEncoder.builder(geometry)).optNumClasses(numClasses).build();
  }

  @Override
  public boolean hasTargets() {
    return true;
  }

  /** Adds the annotation's keypoints, which a pose target needs. */
  @Override
  public ObjectAnnotation annotation(CocoAnnotation annotation, ObjectAnnotation box) {
    return JointHeads.withKeypoints(id(), annotation, box);
  }

  @Override
  public List<FamilyOption> decodeOptions() {
    return List.of(FamilyOptions.JOINT_THRESH, FamilyOptions.JOINT_DIST_RATIO);
  }

  @Override
  public void writeRow(Candidate candidate, Map<String, Object> row) {
    Rows.putPoints(candidate, row);
  }
}
