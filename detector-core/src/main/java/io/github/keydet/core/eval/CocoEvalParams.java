package io.github.keydet.core.eval;

import io.github.keydet.api.InvalidConfigException;
import java.util.List;

/**
 * Evaluation settings; {@link #coco()} gives the toolkit's defaults for boxes and masks: IoU thresholds
 * {@code linspace(.5, .95, 10)}, recall thresholds {@code linspace(0, 1, 101)}, maxDets 1, 10, 100, and the
 * area ranges all [0, 1e10], small [0, 32²], medium [32², 96²], large [96², 1e10] (bounds inclusive);
 * {@link #keypoints()} its keypoint defaults (the same thresholds on OKS, maxDets 20, no "small" range, the 17
 * COCO person sigmas). {@link #forType} picks one.
 *
 * @param iouThresholds T thresholds, increasing
 * @param recallThresholds R thresholds, increasing
 * @param maxDets M caps on detections per image and category, increasing (the last one bounds matching)
 * @param areaRanges A ranges {@code [lo, hi]}
 * @param areaLabels A labels ("all", "small", "medium", "large")
 * @param keypointSigmas J per-keypoint OKS sigmas (in units of the object's scale, sqrt(area)) for keypoint
 *     evaluation; empty for boxes and masks
 */
public record CocoEvalParams(
    double[] iouThresholds,
    double[] recallThresholds,
    int[] maxDets,
    List<double[]> areaRanges,
    List<String> areaLabels,
    double[] keypointSigmas) {

  /**
   * The 17 COCO person keypoint sigmas times 10 (nose, eyes, ears, shoulders, elbows, wrists, hips, knees, ankles;
   * left before right), as the toolkit writes them before dividing by 10.
   */
  private static final double[] COCO_SIGMAS_X10 = {
    .26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87, .87, .89, .89
  };

  /** Validation and copies. */
  public CocoEvalParams {
    if (iouThresholds == null || iouThresholds.length == 0) {
      throw new InvalidConfigException("at least one IoU threshold is needed");
    }
    if (recallThresholds == null || recallThresholds.length == 0) {
      throw new InvalidConfigException("at least one recall threshold is needed");
    }
    if (maxDets == null || maxDets.length == 0) {
      throw new InvalidConfigException("at least one maxDets value is needed");
    }
    for (int i = 0; i < maxDets.length; i++) {
      if (maxDets[i] <= 0 || (i > 0 && maxDets[i] <= maxDets[i - 1])) {
        throw new InvalidConfigException("maxDets must be positive and increasing, got " + java.util.Arrays.toString(maxDets));
      }
    }
    if (areaRanges == null || areaLabels == null || areaRanges.size() != areaLabels.size() || areaRanges.isEmpty()) {
      throw new InvalidConfigException("one label per area range is needed");
    }
    keypointSigmas = keypointSigmas == null ? new double[0] : keypointSigmas.clone();
    for (double s : keypointSigmas) {
      if (!(s > 0) || Double.isInfinite(s)) {
        throw new InvalidConfigException(
            "keypoint sigmas must be finite and > 0, got " + java.util.Arrays.toString(keypointSigmas));
      }
    }
    iouThresholds = iouThresholds.clone();
    recallThresholds = recallThresholds.clone();
    maxDets = maxDets.clone();
    areaRanges = areaRanges.stream().map(double[]::clone).toList();
    areaLabels = List.copyOf(areaLabels);
  }

  /** The COCO toolkit's defaults for bbox and segm. */
  public static CocoEvalParams coco() {
    return new CocoEvalParams(
        defaultIouThresholds(),
        defaultRecallThresholds(),
        new int[] {1, 10, 100},
        List.of(
            new double[] {0, 1e5 * 1e5},
            new double[] {0, 32 * 32},
            new double[] {32 * 32, 96 * 96},
            new double[] {96 * 96, 1e5 * 1e5}),
        List.of("all", "small", "medium", "large"),
        null);
  }

  /**
   * The COCO toolkit's defaults for keypoints ({@code Params.setKpParams}): OKS thresholds and recall thresholds as
   * {@link #coco()}, maxDets 20, area ranges all, medium, large, and the 17 person sigmas ({@code [.26, .25, ...] /
   * 10.0}).
   */
  public static CocoEvalParams keypoints() {
    double[] sigmas = new double[COCO_SIGMAS_X10.length];
    for (int j = 0; j < sigmas.length; j++) {
      sigmas[j] = COCO_SIGMAS_X10[j] / 10.0;
    }
    return new CocoEvalParams(
        defaultIouThresholds(),
        defaultRecallThresholds(),
        new int[] {20},
        List.of(new double[] {0, 1e5 * 1e5}, new double[] {32 * 32, 96 * 96}, new double[] {96 * 96, 1e5 * 1e5}),
        List.of("all", "medium", "large"),
        sigmas);
  }

  /** The toolkit's defaults for the given type: {@link #keypoints()} for keypoints, else {@link #coco()}. */
  public static CocoEvalParams forType(IouType type) {
    return type == IouType.KEYPOINTS ? keypoints() : coco();
  }

  private static double[] defaultIouThresholds() {
    return linspace(.5, 0.95, (int) Math.rint((0.95 - .5) / .05) + 1);
  }

  private static double[] defaultRecallThresholds() {
    return linspace(.0, 1.00, (int) Math.rint((1.00 - .0) / .01) + 1);
  }

  /**
   * {@code numpy.linspace(start, stop, num)} bit for bit: {@code start + i * step} with
   * {@code step = (stop - start) / (num - 1)}, and the last value exactly {@code stop}.
   */
  public static double[] linspace(double start, double stop, int num) {
    if (num <= 0) {
      return new double[0];
    }
    double[] y = new double[num];
    if (num == 1) {
      y[0] = start;
      return y;
    }
    double delta = stop - start;
    double step = delta / (num - 1);
    for (int i = 0; i < num; i++) {
      y[i] = step == 0 ? (i / (double) (num - 1)) * delta + start : i * step + start;
    }
    y[num - 1] = stop;
    return y;
  }

  /** Index of an IoU threshold equal to {@code v} (exact comparison, as the toolkit's summarize), or -1. */
  public int iouIndex(double v) {
    for (int i = 0; i < iouThresholds.length; i++) {
      if (iouThresholds[i] == v) {
        return i;
      }
    }
    return -1;
  }

  /** Index of an area label, or -1. */
  public int areaIndex(String label) {
    return areaLabels.indexOf(label);
  }

  /** Index of a maxDets value, or -1. */
  public int maxDetsIndex(int value) {
    for (int i = 0; i < maxDets.length; i++) {
      if (maxDets[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
