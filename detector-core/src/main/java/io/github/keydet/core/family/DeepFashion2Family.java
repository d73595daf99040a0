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
import io.github.keydet.core.geometry3d.CameraCalibration;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.post.Outline;
import io.github.keydet.core.post.PointSubset;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.core.post.Postprocessor;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Enhanced-CenterNet's DeepFashion2 clothing landmarks (GitHub Wastoon/CenterNet-Multi-Func-Det, {@code --task
 * cloth}): {@code hm} [N, 13, H, W] garment centers, {@code wh} [N, 2, H, W], {@code hps} [N, 588, H, W] (294
 * landmarks, all categories' landmarks in one list), optional {@code reg}, {@code hm_hp} [N, 294, H, W], {@code
 * hp_offset}. Decoded by {@link MultiPoseDecoder} as its {@code deepfashion2_pose_decode}: that function computes the
 * rejection mask of {@code multi_pose} and then zeroes it, so every landmark takes the nearest heat-map landmark —
 * even an invalid one at (-10000, -10000) when no landmark of its channel scores above 0.1 — reproduced here ({@link
 * JointSnapping#ALWAYS}). Decoded rows ({@code keydet decode}) carry all 294 points as the decoder returns them, plus
 * {@code "landmarks"}: the [first, end) range of the detection's category in the 294 (DeepFashion2's own layout:
 * short sleeve top 0-24, long sleeve top 25-57, ... sling dress 275-293).
 *
 * <p>Post-processing per category: the upstream {@code clothlandmark_post_process} maps box and all 294 landmarks to
 * the image and groups the rows by class; its detector then shows each class-j row through {@code
 * Debugger.add_deepfashion2_hp}, which keeps only that category's slice of the 294 ({@code landmark_split} of {@code
 * utils/debugger.py}: 25, 33, 31, 39, 15, 15, 10, 14, 8, 29, 37, 19, 19). {@link #postprocessor} does both: a
 * detection of category c carries category c's landmarks only, in image pixels, in the dataset's order (a {@link
 * PointSubset}). (Its results file for COCO evaluation, {@code convert_eval_format}, writes all 294 instead.)
 *
 * <p>No flip test: the upstream detector flips with {@code opts.py}'s 300W 68-point index (a copy of the landmark
 * task's), and the dataset's own 294-point index lists landmark 119 twice; neither is a left/right permutation of
 * the 294 landmarks.
 */
final class DeepFashion2Family implements DetectorFamily {
  static final ModelFamily ID = ModelFamily.of("DEEPFASHION2");

  /** DeepFashion2's 13 categories in class order, as its dataset code names them. */
  static final List<String> CATEGORIES = List.of("short-sleeve-short", "long-sleeve-short", "short-sleeve-outwear",
      "long-sleeve-outwear", "vest", "sling", "shorts", "trousers", "skirt", "short-sleeve-dress", "long-sleeve-dress",
      "vest-dress", "sling-dress");

  /** Landmarks per category (sum 294), in class order: category c owns [sum of those before, + its count). */
  static final int[] LANDMARKS_PER_CATEGORY = {25, 33, 31, 39, 15, 15, 10, 14, 8, 29, 37, 19, 19};

  /** All categories' landmarks. */
  static final int LANDMARKS = 294;

  /** Category c's landmarks of the 294; every point for other point counts or classes. */
  static final PointSubset OWN_LANDMARKS = (classId, pointCount) ->
      pointCount == LANDMARKS && classId >= 0 && classId < LANDMARKS_PER_CATEGORY.length
          ? landmarkRange(classId) : new int[] {0, pointCount};

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
    return JointHeads.decoder(spec, o, o.kOr(defaultK()), JointSnapping.ALWAYS);
  }

  /** @throws InvalidConfigException always: the upstream has no valid flip index (see the class comment) */
  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    throw new InvalidConfigException("no flip test for DEEPFASHION2: the upstream code flips with the 300W 68-point"
        + " index, and its dataset's 294-point index is not a permutation (landmark 119 appears twice)");
  }

  /**
   * Each detection keeps its category's own landmarks (see the class comment); a model whose point count is not 294
   * keeps every point.
   */
  @Override
  public Postprocessor postprocessor(PostprocessConfig config, CameraCalibration calibration) {
    return new Postprocessor(config, Outline.NONE, null, OWN_LANDMARKS);
  }

  /** The [first, end) range of category {@code classId}'s landmarks in the 294. */
  static int[] landmarkRange(int classId) {
    if (classId < 0 || classId >= LANDMARKS_PER_CATEGORY.length) {
      throw new InvalidConfigException("DeepFashion2 class " + classId + " outside 0..12");
    }
    int first = 0;
    for (int c = 0; c < classId; c++) {
      first += LANDMARKS_PER_CATEGORY[c];
    }
    return new int[] {first, first + LANDMARKS_PER_CATEGORY[classId]};
  }

  /** Its {@code cloth_landmark.py} sample's targets: CenterNet's {@code multi_pose} ones with J = 294, M = 15. */
  @Override
  public TargetEncoder encoder(TargetGeometry geometry, int numClasses, TargetOptions options) {
    options.requireNoCtdetSettings(id().id());
    return options.applyCommon(MultiPoseTargetEncoder.builder(geometry).optNumClasses(numClasses).optNumJoints(294)
        .optMaxObjects(15)).build();
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
    return List.of(FamilyOptions.JOINT_THRESH);
  }

  /** {@code "points"}: every landmark; {@code "landmarks"}: the category's range when the model has all 294. */
  @Override
  public void writeRow(Candidate candidate, Map<String, Object> row) {
    Rows.putPoints(candidate, row);
    if (candidate.pointCount() == LANDMARKS && candidate.classId() >= 0
        && candidate.classId() < LANDMARKS_PER_CATEGORY.length) {
      row.put("landmarks", landmarkRange(candidate.classId()));
    }
  }
}
