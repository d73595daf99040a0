package io.github.keydet.core.family;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.coco.CocoAnnotation;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.encode.ObjectAnnotation;
import io.github.keydet.core.encode.TargetEncoder;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetOptions;
import io.github.keydet.core.geometry3d.CameraCalibration;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.core.post.Postprocessor;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything KeyDet knows about one detector family, in one place (the idea of CenterNet's {@code opts.py} table
 * and of mmdetection's heads): its heads with their channel counts, its test-time defaults, how its decoder is
 * built, its flip-test rule, its post-processing extras, its training-target encoder, how COCO annotations feed
 * that encoder, its command-line options and how its decoded rows are written. {@link Families} maps ids to
 * these objects; adding a family is one class implementing this interface and one line in that registry.
 *
 * <p>Implementations are stateless and thread-safe. Coordinates: decoders return candidates in output-map
 * cells; {@link Postprocessor} maps them to image pixels.
 */
public interface DetectorFamily {
  /** The family's id. */
  ModelFamily id();

  /**
   * The heads of a model of this family, in decoding order, with the channel counts the spec implies (the
   * number of classes is {@code spec.labels().size()}, unknown when there are no labels).
   */
  List<HeadSpec> heads(ModelSpec spec);

  /**
   * Checks that the heads agree with each other (e.g. all keypoint heads on the number of joints), after each head
   * passed its own channel check; called when a model is loaded. The default accepts any combination.
   *
   * @param channels the declared channel count of each head the model has, by canonical head name (heads with a
   *     dynamic channel count are left out)
   * @throws io.github.keydet.api.ModelLoadException naming the heads that disagree
   */
  default void checkHeadAgreement(ModelSpec spec, Map<String, Integer> channels) {}

  /**
   * Checks the model's output names as a whole, before each head is checked (e.g. that a family's numbered outputs
   * are all there and no more); called when a model is loaded. The default accepts any set.
   *
   * @throws io.github.keydet.api.ModelLoadException naming the outputs that do not fit
   */
  default void checkOutputNames(ModelSpec spec, Set<String> outputNames) {}

  /**
   * Whether the family's test procedure is CornerNet-Saccade's search over crops chosen by attention maps ({@code
   * io.github.keydet.core.pipeline.SaccadeProcedure}) instead of one run per scale.
   */
  default boolean searchesByAttention() {
    return false;
  }

  /**
   * Whether a model that carries no spec is of this family, judged by its output names. {@link Families}
   * asks the families in registry order, most specific first.
   */
  boolean recognises(Set<String> outputNames);

  /** What the family's decoder natively takes (its reference code's input domain). */
  Activation nativeHeatmaps();

  /** Candidates per image (or per map, as the family counts) when {@link DecodeOptions} leaves K unset. */
  default int defaultK() {
    return 100;
  }

  /** The detection cap of decoders that group candidates, when {@link DecodeOptions} leaves it unset. */
  default int defaultNumDets() {
    return 1000;
  }

  /** The decoder for a model of this family with these test settings. */
  HeadDecoder decoder(ModelSpec spec, DecodeOptions options);

  /**
   * The flip-test rule when the family merges the heads of the two runs (CenterNet's way); empty when it merges
   * the decoded candidates of both runs instead (CornerNet's way).
   */
  Optional<FlipRules> flipRules(ModelSpec spec);

  /**
   * Whether the family's test procedure pools the runs of one image (flip, scales) before grouping, as
   * CenterNet-Triplets checks every run's corner pairs against the pooled centers. Such a family's decoder is
   * a {@link io.github.keydet.core.decode.TripletsDecoder}.
   */
  default boolean poolsRuns() {
    return false;
  }

  /**
   * Whether one image's detections are merged per class by soft-NMS (the pipeline's settings, CenterNet's
   * {@code merge_outputs}) before selection even at a single test scale, as GridNeighbor merges the boxes its grid
   * points give for one object. Otherwise only several test scales are merged that way.
   */
  default boolean mergesBySoftNms() {
    return false;
  }

  /**
   * The post-processor of this family's candidates: maps to image pixels and adds the family's extras
   * (octagon polygons, 3D boxes).
   *
   * @param calibration camera of the images for 3D families; ignored by the others
   */
  default Postprocessor postprocessor(PostprocessConfig config, CameraCalibration calibration) {
    return new Postprocessor(config);
  }

  /**
   * The training-target encoder: the original code's defaults, changed by {@code options} ({@link
   * TargetOptions#defaults()} for none).
   *
   * @param numClasses C
   * @throws InvalidConfigException when the family has no training targets here, or for a setting it has no use
   *     for (naming it)
   */
  default TargetEncoder encoder(TargetGeometry geometry, int numClasses, TargetOptions options) {
    throw new InvalidConfigException("no training targets for family " + id() + "; supported: "
        + Families.all().stream().filter(DetectorFamily::hasTargets).map(f -> f.id().id()).toList());
  }

  /** Whether {@link #encoder} is implemented. */
  default boolean hasTargets() {
    return false;
  }

  /**
   * The geometry of the original training crop for an image of {@code width x height}, changed by the options'
   * input size or {@code keep_res}: center = image center, scale = max(width, height), 512x512 input, stride 4
   * (CenterNet's rules: see {@link TargetOptions#centerNetGeometry}); families of the CornerNet code override it.
   */
  default TargetGeometry targetGeometry(int width, int height, TargetOptions options) {
    return options.centerNetGeometry(width, height, 512);
  }

  /**
   * A COCO annotation as target-encoder input: {@code box} (class and box already read) plus what the family
   * needs beyond the box (keypoints, extreme points).
   *
   * @throws io.github.keydet.api.InvalidInputException when the annotation lacks what the family needs
   */
  default ObjectAnnotation annotation(CocoAnnotation annotation, ObjectAnnotation box) {
    return box;
  }

  /** The family's own options of {@code keydet decode}, beyond the common ones (K, kernel, layout...). */
  default List<FamilyOption> decodeOptions() {
    return List.of();
  }

  /**
   * Adds the family's fields to one decoded row of {@code keydet decode}'s JSON (the common fields batch, class,
   * score and box are already there): e.g. {@code points}, {@code center}, 3D values.
   */
  default void writeRow(Candidate candidate, Map<String, Object> row) {}
}
