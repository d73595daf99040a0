package io.github.keydet.core.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of a COCO evaluation: the summary numbers (12 for boxes and masks, {@link #stats()}; 10 for keypoints,
 * {@link #keypointStats()}) and the accumulated arrays of the toolkit.
 *
 * <p>{@code precision} is {@code [T, R, K, A, M]} flattened row-major (T IoU thresholds, R recall thresholds,
 * K categories in increasing id order, A area ranges, M maxDets), -1 where a category has no (non-crowd)
 * ground truth; {@code recall} is {@code [T, K, A, M]} likewise. Arrays are shared, do not modify them.
 *
 * @param iouType what was compared
 * @param params the settings used
 * @param categoryIds the K category ids, increasing
 * @param precision {@code [T * R * K * A * M]}
 * @param recall {@code [T * K * A * M]}
 * @param statValues the summary numbers in the toolkit's order ({@code COCOeval.stats}): 12 for bbox and segm, 10
 *     for keypoints
 */
public record CocoEvalResult(
    IouType iouType,
    CocoEvalParams params,
    long[] categoryIds,
    double[] precision,
    double[] recall,
    double[] statValues) {

  /**
   * The 12 box or mask summary numbers.
   *
   * @throws IllegalStateException for a keypoint evaluation (use {@link #keypointStats()})
   */
  public CocoStats stats() {
    if (iouType == IouType.KEYPOINTS) {
      throw new IllegalStateException("a keypoint evaluation has the 10 numbers of keypointStats(), not stats()");
    }
    return CocoStats.of(statValues);
  }

  /**
   * The 10 keypoint summary numbers.
   *
   * @throws IllegalStateException for a box or mask evaluation (use {@link #stats()})
   */
  public KeypointStats keypointStats() {
    if (iouType != IouType.KEYPOINTS) {
      throw new IllegalStateException("a " + iouType + " evaluation has the 12 numbers of stats(), not keypointStats()");
    }
    return KeypointStats.of(statValues);
  }

  /** Precision at IoU threshold t, recall threshold r, category index k, area a, maxDets index m. */
  public double precision(int t, int r, int k, int a, int m) {
    int bigR = params.recallThresholds().length;
    int bigK = categoryIds.length;
    int bigA = params.areaRanges().size();
    int bigM = params.maxDets().length;
    return precision[(((t * bigR + r) * bigK + k) * bigA + a) * bigM + m];
  }

  /** Recall at IoU threshold t, category index k, area a, maxDets index m. */
  public double recall(int t, int k, int a, int m) {
    int bigK = categoryIds.length;
    int bigA = params.areaRanges().size();
    int bigM = params.maxDets().length;
    return recall[((t * bigK + k) * bigA + a) * bigM + m];
  }

  /** The dimensions {T, R, K, A, M} of {@link #precision()}. */
  public int[] precisionShape() {
    return new int[] {
      params.iouThresholds().length,
      params.recallThresholds().length,
      categoryIds.length,
      params.areaRanges().size(),
      params.maxDets().length
    };
  }

  /**
   * AP per category id (mean precision over all IoU and recall thresholds, area "all", the largest maxDets),
   * -1 for categories without ground truth; in increasing id order.
   */
  public Map<Long, Double> perCategoryAp() {
    Map<Long, Double> out = new LinkedHashMap<>();
    int bigT = params.iouThresholds().length;
    int bigR = params.recallThresholds().length;
    int a = Math.max(0, params.areaIndex("all"));
    int m = params.maxDets().length - 1;
    for (int k = 0; k < categoryIds.length; k++) {
      double sum = 0;
      int n = 0;
      for (int t = 0; t < bigT; t++) {
        for (int r = 0; r < bigR; r++) {
          double v = precision(t, r, k, a, m);
          if (v > -1) {
            sum += v;
            n++;
          }
        }
      }
      out.put(categoryIds[k], n == 0 ? -1.0 : sum / n);
    }
    return out;
  }

  /** The 12-line (keypoints: 10-line) summary exactly as pycocotools prints it. */
  public String summary() {
    double[] s = statValues;
    String all = fmt2(params.iouThresholds()[0]) + ":" + fmt2(params.iouThresholds()[params.iouThresholds().length - 1]);
    if (iouType == IouType.KEYPOINTS) {
      String[] iou = {all, "0.50", "0.75", all, all};
      String[] area = {"all", "all", "all", "medium", "large"};
      String[] kl = new String[10];
      for (int i = 0; i < 10; i++) {
        kl[i] = line(i < 5, iou[i % 5], area[i % 5], 20, s[i]);
      }
      return String.join(System.lineSeparator(), kl) + System.lineSeparator();
    }
    String[] lines = new String[12];
    int[] md = params.maxDets();
    int last = md[Math.min(2, md.length - 1)];
    lines[0] = line(true, all, "all", last, s[0]);
    lines[1] = line(true, "0.50", "all", last, s[1]);
    lines[2] = line(true, "0.75", "all", last, s[2]);
    lines[3] = line(true, all, "small", last, s[3]);
    lines[4] = line(true, all, "medium", last, s[4]);
    lines[5] = line(true, all, "large", last, s[5]);
    lines[6] = line(false, all, "all", md[0], s[6]);
    lines[7] = line(false, all, "all", md[Math.min(1, md.length - 1)], s[7]);
    lines[8] = line(false, all, "all", last, s[8]);
    lines[9] = line(false, all, "small", last, s[9]);
    lines[10] = line(false, all, "medium", last, s[10]);
    lines[11] = line(false, all, "large", last, s[11]);
    return String.join(System.lineSeparator(), lines) + System.lineSeparator();
  }

  private static String line(boolean ap, String iou, String area, int maxDets, double v) {
    return String.format(
        " %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d ] = %s",
        ap ? "Average Precision" : "Average Recall",
        ap ? "(AP)" : "(AR)",
        iou,
        area,
        maxDets,
        fmt3(v));
  }

  private static String fmt2(double v) {
    return new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** Python's {@code '{:0.3f}'}: the exact binary value rounded half-even. */
  static String fmt3(double v) {
    return new BigDecimal(v).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
  }
}
