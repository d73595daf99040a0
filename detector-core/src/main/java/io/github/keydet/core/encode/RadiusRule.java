package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;

/**
 * The two Gaussian radius rules found in the original code. Both solve, for a box of {@code height x width} cells,
 * the three "corner shifted by r still overlaps the box by at least {@code minOverlap}" quadratics
 * {@code a r^2 - b r + c = 0} (CornerNet paper) and return the minimum over the three cases; they differ in which
 * root they return.
 *
 * <ul>
 *   <li>{@link #SMALLEST_ROOT}: the mathematically intended radius, {@code (b - sqrt(b^2 - 4ac)) / 2a} for the first
 *       two cases and {@code (b3 + sqrt(b3^2 - 4 a3 c3)) / 2a3} for the third ({@code b3 < 0}); the corrected formula
 *       of CornerNet-Lite's {@code core/sample/utils.py}.
 *   <li>{@link #PLUS_ROOT_OVER_TWO}: {@code (b + sqrt(b^2 - 4ac)) / 2} in all three cases (no {@code a} in the
 *       denominator), the formula of the original CornerNet, copied into xingyizhou/CenterNet's {@code
 *       utils/image.py}, Duankaiwen/CenterNet and ExtremeNet. Models trained with those code bases used it; it gives
 *       larger radii than {@link #SMALLEST_ROOT}.
 * </ul>
 *
 * <p>The training code then uses {@code max(0, int(r))}: {@link #intRadius}.
 */
public enum RadiusRule {
  /** Smallest root of each overlap case (CornerNet-Lite's corrected formula). */
  SMALLEST_ROOT,
  /** {@code (b + sqrt(b^2 - 4ac)) / 2} for all three cases (original CornerNet / CenterNet / ExtremeNet code). */
  PLUS_ROOT_OVER_TWO;

  /** The default minimum overlap of CenterNet and of CornerNet's data-set defaults. */
  public static final double DEFAULT_MIN_OVERLAP = 0.7;

  /**
   * The real-valued radius for a box of the given size (in output cells; callers pass {@code ceil}ed sizes where
   * the original code does).
   *
   * @throws InvalidInputException if a size is negative or not finite
   * @throws InvalidConfigException if {@code minOverlap} is not in (0, 1]
   */
  /**
   * Checks a minimum overlap (also the encoder builders' check). 1 is allowed: Enhanced-CenterNet's landmark sample
   * draws its landmark heat maps with {@code gaussian_radius(..., min_overlap=1)}, radius 0.
   *
   * @throws InvalidConfigException if it is not in (0, 1]
   */
  static void checkMinOverlap(double minOverlap) {
    if (!(minOverlap > 0 && minOverlap <= 1)) {
      throw new InvalidConfigException("minOverlap must be in (0, 1], got " + minOverlap);
    }
  }

  public double radius(double height, double width, double minOverlap) {
    if (!(height >= 0) || !(width >= 0) || Double.isInfinite(height) || Double.isInfinite(width)) {
      throw new InvalidInputException(
          "Gaussian radius needs finite non-negative box sizes, got height=" + height + ", width=" + width);
    }
    checkMinOverlap(minOverlap);
    double b1 = height + width;
    double c1 = width * height * (1 - minOverlap) / (1 + minOverlap);
    double sq1 = Math.sqrt(b1 * b1 - 4 * c1);
    double a2 = 4;
    double b2 = 2 * (height + width);
    double c2 = (1 - minOverlap) * width * height;
    double sq2 = Math.sqrt(b2 * b2 - 4 * a2 * c2);
    double a3 = 4 * minOverlap;
    double b3 = -2 * minOverlap * (height + width);
    double c3 = (minOverlap - 1) * width * height;
    double sq3 = Math.sqrt(b3 * b3 - 4 * a3 * c3);
    double r1;
    double r2;
    double r3;
    if (this == SMALLEST_ROOT) {
      r1 = (b1 - sq1) / 2;
      r2 = (b2 - sq2) / (2 * a2);
      r3 = (b3 + sq3) / (2 * a3);
    } else {
      r1 = (b1 + sq1) / 2;
      r2 = (b2 + sq2) / 2;
      r3 = (b3 + sq3) / 2;
    }
    return Math.min(r1, Math.min(r2, r3));
  }

  /** {@code max(0, int(radius(height, width, minOverlap)))}, the integer radius the training code draws with. */
  public int intRadius(double height, double width, double minOverlap) {
    return Math.max(0, (int) radius(height, width, minOverlap));
  }
}
