package io.github.keydet.core.family;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.coco.CocoAnnotation;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.decode.MultiPoseDecoder;
import io.github.keydet.core.decode.MultiPoseDecoder.JointSnapping;
import io.github.keydet.core.encode.MultiPoseTargetEncoder;
import io.github.keydet.core.encode.ObjectAnnotation;
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
 * Enhanced-CenterNet's facial landmarks (GitHub Wastoon/CenterNet-Multi-Func-Det, {@code --task landmark}; 300W: 68
 * points, AFLW: 19): {@code hm} [N, C, H, W] face centers (C = 1), {@code wh} [N, 2, H, W], {@code hps} [N, 2J, H, W]
 * landmark offsets from the center cell, optional {@code reg}, {@code hm_hp} [N, J, H, W] and {@code hp_offset}; J
 * = {@code hps} channels / 2, as the upstream {@code landmark_decode}. Decoded by {@link MultiPoseDecoder}: its
 * {@code multi_pose} rule (the nearest heat-map landmark replaces the regressed one unless outside the box, weak or
 * far), or with {@code --reg-only} ({@code reg_only}) the regressed landmarks alone. Post-processing as its {@code
 * landmark_post_process}: box and landmarks mapped back to the image, one class. Flip test: its detector's, {@code
 * hm}, {@code wh} averaged, {@code hps} and {@code hm_hp} with the 300W 68-point left/right pairs of its {@code
 * opts.py} (x offsets negated), {@code reg} and {@code hp_offset} from the original; other J have no flip index
 * upstream and are refused.
 */
final class LandmarkFamily implements DetectorFamily {
  static final ModelFamily ID = ModelFamily.of("LANDMARK");

  /** The 300W 68-point left/right pairs (0-based), as the upstream {@code opts.py} and {@code _300W.py} list them. */
  static final int[][] FLIP_PAIRS_300W = {
      {0, 16}, {1, 15}, {2, 14}, {3, 13}, {4, 12}, {5, 11}, {6, 10}, {7, 9}, {17, 26}, {18, 25}, {19, 24}, {20, 23},
      {21, 22}, {39, 42}, {38, 43}, {37, 44}, {36, 45}, {41, 46}, {40, 47}, {31, 35}, {32, 34}, {48, 54}, {49, 53},
      {50, 52}, {59, 55}, {58, 56}, {60, 64}, {61, 63}, {67, 65}};

  static final FamilyOption REG_ONLY = new FamilyOption("--reg-only", Boolean.class,
      "LANDMARK: the regressed landmarks only, never the heat-map ones (upstream reg_only).", "false",
      (b, v) -> b.optFamilySetting("reg-only", v));

  @Override
  public ModelFamily id() {
    return ID;
  }

  @Override
  public List<HeadSpec> heads(ModelSpec spec) {
    return JointHeads.heads(spec);
  }

  /** Never from output names alone: they are MULTI_POSE's. */
  @Override
  public boolean recognises(Set<String> outputNames) {
    return false;
  }

  @Override
  public Activation nativeHeatmaps() {
    return Activation.PROBABILITIES;
  }

  @Override
  public HeadDecoder decoder(ModelSpec spec, DecodeOptions o) {
    boolean regOnly = o.familySetting("reg-only", Boolean.class, false);
    return JointHeads.decoder(spec, o, o.kOr(defaultK()), regOnly ? JointSnapping.NONE : JointSnapping.GATED);
  }

  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    return Optional.of(FlipTable.of(heads(spec), Map.of(
        "hps", ch -> JointHeads.offsets(partners(ch / 2)),
        "hm_hp", ch -> io.github.keydet.core.tta.HeadFlip.permuted(partners(ch), null))));
  }

  private static int[] partners(int joints) {
    if (joints != 68) {
      throw new InvalidConfigException("the flip test of LANDMARK needs a left/right index; the upstream code has"
          + " the 300W one (68 landmarks), the model has " + joints);
    }
    return JointHeads.partners(joints, FLIP_PAIRS_300W);
  }

  /**
   * Its landmark sample's targets ({@code AAAI_landmark.py}, the dataset factory's choice): {@code multi_pose}'s with
   * J = 68 (300W), M = 32, and landmark heat maps of radius 0 ({@code gaussian_radius(..., min_overlap=1)}). Note:
   * the upstream 300W annotation files store {@code bbox} as [x1, y1, x2, y2], not COCO's [x, y, w, h]; KeyDet reads
   * COCO's.
   */
  @Override
  public TargetEncoder encoder(TargetGeometry geometry, int numClasses, TargetOptions options) {
    options.requireNoCtdetSettings(id().id());
    return options.applyCommon(MultiPoseTargetEncoder.builder(geometry).optNumClasses(numClasses).optNumJoints(68)
        .optMaxObjects(32).optJointMinOverlap(1)).build();
  }

  @Override
  public boolean hasTargets() {
    return true;
  }

  /** Adds the annotation's keypoints, which the targets need. */
  @Override
  public ObjectAnnotation annotation(CocoAnnotation annotation, ObjectAnnotation box) {
    return JointHeads.withKeypoints(id(), annotation, box);
  }

  @Override
  public List<FamilyOption> decodeOptions() {
    return List.of(REG_ONLY, FamilyOptions.JOINT_THRESH, FamilyOptions.JOINT_DIST_RATIO);
  }

  @Override
  public void writeRow(Candidate candidate, Map<String, Object> row) {
    Rows.putPoints(candidate, row);
  }
}
