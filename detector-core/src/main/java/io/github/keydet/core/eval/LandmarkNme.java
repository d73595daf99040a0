package io.github.keydet.core.eval;

import io.github.keydet.api.InvalidInputException;
import java.util.List;

/**
 * Facial-landmark accuracy as 300W reports it: the normalised mean error (NME) of a face is the mean point-to-point
 * Euclidean distance between its predicted and ground-truth landmarks divided by the inter-ocular distance, the
 * distance between the ground truth's outer eye corners (landmarks 36 and 45, 0-based, of the 68-point layout); the
 * failure rate is the fraction of faces whose NME exceeds a threshold (0.08 and 0.10 here). Coordinates in any one
 * unit (image pixels), as (x, y) pairs. Stateless.
 */
public final class LandmarkNme {
  /** Outer corner of the right eye (image left) in the 68-point layout, 0-based. */
  public static final int OUTER_EYE_RIGHT = 36;
  /** Outer corner of the left eye (image right) in the 68-point layout, 0-based. */
  public static final int OUTER_EYE_LEFT = 45;
  /** What the NME is normalised by, for reports. */
  public static final String NORMALISATION = "inter-ocular distance (outer eye corners 36-45, 0-based)";

  private LandmarkNme() {}

  /**
   * The scores over a set of faces.
   *
   * @param faces number of faces
   * @param meanNme mean of the faces' NME
   * @param failureRate008 fraction of faces with NME > 0.08
   * @param failureRate010 fraction of faces with NME > 0.10
   */
  public record Result(int faces, double meanNme, double failureRate008, double failureRate010) {
    /** The normalisation, for reports. */
    public String normalisation() {
      return NORMALISATION;
    }
  }

  /**
   * The NME of one face.
   *
   * @param predicted 68 (x, y) pairs
   * @param truth 68 (x, y) pairs
   * @throws InvalidInputException when either does not hold 136 values, or the eye corners coincide
   */
  public static double nme(float[] predicted, float[] truth) {
    if (predicted == null || truth == null || predicted.length != 136 || truth.length != 136) {
      throw new InvalidInputException("NME needs 68 (x, y) landmarks on both sides, got "
          + (predicted == null ? "none" : predicted.length + " values") + " and "
          + (truth == null ? "none" : truth.length + " values"));
    }
    double d = Math.hypot(truth[2 * OUTER_EYE_RIGHT] - truth[2 * OUTER_EYE_LEFT],
        truth[2 * OUTER_EYE_RIGHT + 1] - truth[2 * OUTER_EYE_LEFT + 1]);
    if (!(d > 0)) {
      throw new InvalidInputException("inter-ocular distance is " + d + ": landmarks 36 and 45 coincide");
    }
    double sum = 0;
    for (int j = 0; j < 68; j++) {
      sum += Math.hypot(predicted[2 * j] - truth[2 * j], predicted[2 * j + 1] - truth[2 * j + 1]);
    }
    return sum / 68 / d;
  }

  /**
   * The scores of paired faces.
   *
   * @param predicted per face its 68 predicted (x, y) pairs, or {@code null} when nothing was detected (a failure,
   *     left out of the mean)
   * @param truth per face its 68 ground-truth (x, y) pairs, in the same order
   * @throws InvalidInputException when the lists differ in length or are empty
   */
  public static Result evaluate(List<float[]> predicted, List<float[]> truth) {
    if (predicted.size() != truth.size() || truth.isEmpty()) {
      throw new InvalidInputException("NME needs one prediction per face: " + predicted.size() + " predictions for "
          + truth.size() + " faces");
    }
    double sum = 0;
    int found = 0;
    int fail008 = 0;
    int fail010 = 0;
    for (int i = 0; i < truth.size(); i++) {
      if (predicted.get(i) == null) {
        fail008++;
        fail010++;
        continue;
      }
      double e = nme(predicted.get(i), truth.get(i));
      sum += e;
      found++;
      fail008 += e > 0.08 ? 1 : 0;
      fail010 += e > 0.10 ? 1 : 0;
    }
    int n = truth.size();
    return new Result(n, found == 0 ? Double.NaN : sum / found, fail008 / (double) n, fail010 / (double) n);
  }
}
