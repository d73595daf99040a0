package io.github.keydet.core.eval;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.coco.CocoAnnotation;

/**
 * Object keypoint similarity, {@code COCOeval.computeOks} step by step: for a ground-truth object with labelled
 * keypoints (v &gt; 0), the mean over those keypoints of {@code exp(-e)}, {@code e = (dx² + dy²) / (2σ)² / (area +
 * eps) / 2}; for one without (crowd regions, unlabelled people), the mean over all J keypoints with (dx, dy) the
 * distance from the detected keypoint to the box the object's box grown by its size on every side
 * ({@code [x - w, x + 2w] x [y - h, y + 2h]}), 0 inside it. Coordinates are image pixels; {@code area} is the
 * object's {@code area} field. Static and stateless.
 */
final class Oks {
  private static final double EPS = Math.ulp(1.0); // np.spacing(1)

  private Oks() {}

  /** The toolkit's {@code vars = (sigmas * 2) ** 2}. */
  static double[] variances(double[] sigmas) {
    double[] v = new double[sigmas.length];
    for (int j = 0; j < v.length; j++) {
      double s2 = sigmas[j] * 2;
      v[j] = s2 * s2;
    }
    return v;
  }

  /**
   * The OKS of detected keypoints {@code dt} [3J] (x, y, v; v not read) with a ground-truth object.
   *
   * @throws InvalidInputException when the object has no keypoints or either has not J triplets
   */
  static double oks(double[] dt, CocoAnnotation gt, double[] vars) {
    int bigJ = vars.length;
    double[] g = gt.keypoints();
    if (g == null) {
      throw new InvalidInputException(
          "annotation " + gt.id() + " has no keypoints; keypoint evaluation needs them (all 0 for none labelled)");
    }
    if (g.length != 3 * bigJ) {
      throw new InvalidInputException("annotation " + gt.id() + " has " + g.length / 3 + " keypoints, the "
          + "evaluation's sigmas are for " + bigJ);
    }
    if (dt.length != 3 * bigJ) {
      throw new InvalidInputException("a result on image " + gt.imageId() + " has " + dt.length / 3
          + " keypoints, the evaluation's sigmas are for " + bigJ);
    }
    int labelled = 0;
    for (int j = 0; j < bigJ; j++) {
      if (g[3 * j + 2] > 0) {
        labelled++;
      }
    }
    double[] bb = gt.bbox();
    double x0 = bb[0] - bb[2];
    double x1 = bb[0] + bb[2] * 2;
    double y0 = bb[1] - bb[3];
    double y1 = bb[1] + bb[3] * 2;
    double[] terms = new double[labelled > 0 ? labelled : bigJ];
    int n = 0;
    for (int j = 0; j < bigJ; j++) {
      double xd = dt[3 * j];
      double yd = dt[3 * j + 1];
      double dx;
      double dy;
      if (labelled > 0) {
        if (!(g[3 * j + 2] > 0)) {
          continue;
        }
        dx = xd - g[3 * j];
        dy = yd - g[3 * j + 1];
      } else {
        dx = Math.max(0, x0 - xd) + Math.max(0, xd - x1);
        dy = Math.max(0, y0 - yd) + Math.max(0, yd - y1);
      }
      double e = (dx * dx + dy * dy) / vars[j] / (gt.area() + EPS) / 2;
      terms[n++] = Math.exp(-e);
    }
    return Summary.pairwiseSum(terms, 0, n) / n;
  }
}
