package io.github.keydet.core.family;

import static io.github.keydet.core.family.HeadSpec.Channels.exactly;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.decode.MultiPoseDecoder;
import io.github.keydet.core.decode.TfodAsMultiPose;
import io.github.keydet.core.decode.TfodPoseDecoder;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * TensorFlow Object-Detection-API CenterNet pose models (MoveNet MultiPose): {@code center} [N, H, W, 1],
 * {@code box_scale} (h, w) and {@code box_offset} (y, x) [N, H, W, 2], {@code kpt_heatmap} [N, H, W, J],
 * {@code kpt_regress} and {@code kpt_offset} [N, H, W, 2J] with (y, x) per joint (NHWC as TF writes them, or
 * NCHW per the spec). Decoded by the graph's own rule ({@link TfodPoseDecoder}, the default, decode setting
 * {@code pose-rule} = {@code tfod}) or by CenterNet's {@code multi_pose} rule on the same heads ({@code
 * multi_pose}: {@link TfodAsMultiPose}). The three keypoint heads must agree on J at load time. No flip test
 * (the graph has none), no training targets.
 */
final class TfodPoseFamily implements DetectorFamily {
  static final ModelFamily ID = ModelFamily.of("TFOD_CENTERNET_POSE");

  /** The decode setting that picks the rule, with its values. */
  static final FamilyOption POSE_RULE = new FamilyOption("--pose-rule", String.class,
      "TFOD_CENTERNET_POSE: 'tfod' (the graph's own keypoint rule) or 'multi_pose' (CenterNet's, on the same"
          + " heads).", "tfod", (b, v) -> b.optFamilySetting("pose-rule", v));

  @Override
  public ModelFamily id() {
    return ID;
  }

  @Override
  public List<HeadSpec> heads(ModelSpec spec) {
    HeadSpec.Channels even = new HeadSpec.Channels("an even number (y, x per joint)", c -> c > 0 && c % 2 == 0);
    return List.of(
        HeadSpec.heatmap("center", exactly(1)),
        HeadSpec.required("box_scale", exactly(2)),
        HeadSpec.required("box_offset", exactly(2)),
        HeadSpec.heatmap("kpt_heatmap", new HeadSpec.Channels("at least 1", c -> c > 0)),
        HeadSpec.required("kpt_regress", even),
        HeadSpec.required("kpt_offset", even));
  }

  /** J from {@code kpt_heatmap}, {@code kpt_regress} / 2 and {@code kpt_offset} / 2 must be one number. */
  @Override
  public void checkHeadAgreement(ModelSpec spec, Map<String, Integer> channels) {
    Integer heat = channels.get("kpt_heatmap");
    Integer regress = channels.get("kpt_regress");
    Integer offset = channels.get("kpt_offset");
    if (heat == null || regress == null || offset == null) {
      return; // a dynamic channel count: checked when decoding
    }
    if (regress != 2 * heat || offset != 2 * heat) {
      throw new ModelLoadException("keypoint heads of family " + ID + " disagree on the number of joints: '"
          + spec.outputName("kpt_heatmap") + "' (head 'kpt_heatmap') has " + heat + " channels = " + heat
          + " joints, '" + spec.outputName("kpt_regress") + "' (head 'kpt_regress') has " + regress + " = "
          + regress / 2.0 + " x 2, '" + spec.outputName("kpt_offset") + "' (head 'kpt_offset') has " + offset
          + " = " + offset / 2.0 + " x 2");
    }
  }

  @Override
  public boolean recognises(Set<String> outputNames) {
    return outputNames.contains("kpt_regress_0") || outputNames.contains("kpt_regress");
  }

  @Override
  public Activation nativeHeatmaps() {
    return Activation.PROBABILITIES;
  }

  @Override
  public int defaultK() {
    return 6;
  }

  @Override
  public HeadDecoder decoder(ModelSpec spec, DecodeOptions o) {
    String rule = o.familySetting("pose-rule", String.class, "tfod").toLowerCase(Locale.ROOT);
    return switch (rule) {
      case "tfod" -> new TfodPoseDecoder(TfodPoseDecoder.Config.movenet(o.kOr(defaultK()), spec.heatmaps(),
          spec.layout()));
      case "multi_pose" -> new TfodAsMultiPose(new MultiPoseDecoder(new MultiPoseDecoder.Config(
          o.kOr(defaultK()), o.kernel(), spec.heatmaps(), spec.layout(), o.jointThreshold(),
          o.jointDistanceRatio())));
      default -> throw new InvalidConfigException(
          "pose-rule must be 'tfod' or 'multi_pose', got '" + rule + "'");
    };
  }

  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    return Optional.empty();
  }

  @Override
  public List<FamilyOption> decodeOptions() {
    return List.of(POSE_RULE, FamilyOptions.JOINT_THRESH, FamilyOptions.JOINT_DIST_RATIO);
  }

  @Override
  public void writeRow(Candidate candidate, Map<String, Object> row) {
    Rows.putPoints(candidate, row);
  }
}
