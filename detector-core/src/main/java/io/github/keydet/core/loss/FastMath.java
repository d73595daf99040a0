package io.github.keydet.core.loss;

/**
 * Table-driven {@code log} for the focal loss from probabilities (several times faster than {@link Math} over
 * millions of cells; relative error about 1e-12 or better, far below the float32 resolution the original computes
 * in): exponent times ln 2 plus a 1024-entry table of mantissa logarithms plus a 4-term series on the remainder
 * ({@code |r| <= 2^-11}). Special values fall back to {@link Math}.
 */
final class FastMath {
  private static final int BITS = 10;
  private static final int SIZE = 1 << BITS;
  private static final double LN2 = Math.log(2);
  private static final double[] LOG_C = new double[SIZE];
  private static final double[] INV_C = new double[SIZE];
  private static final double NEAR_ONE = 1.0 / 1024;

  static {
    for (int i = 0; i < SIZE; i++) {
      double c = 1 + (i + 0.5) / SIZE;
      LOG_C[i] = Math.log(c);
      INV_C[i] = 1 / c;
    }
  }

  private FastMath() {}

  static double log(double x) {
    if (!(x >= Double.MIN_NORMAL) || x == Double.POSITIVE_INFINITY) {
      return Math.log(x);
    }
    double u = x - 1;
    if (u > -NEAR_ONE && u < NEAR_ONE) {
      // log1p series: avoids cancelling e * ln2 against the table near x = 1
      return u * (1 + u * (-0.5 + u * (1.0 / 3 + u * (-0.25 + u * (0.2 + u * (-1.0 / 6))))));
    }
    long bits = Double.doubleToRawLongBits(x);
    int e = (int) (bits >>> 52) - 1023;
    int i = (int) ((bits >>> (52 - BITS)) & (SIZE - 1));
    double m = Double.longBitsToDouble((bits & 0x000fffffffffffffL) | 0x3ff0000000000000L);
    double r = m * INV_C[i] - 1;
    double series = r * (1 + r * (-0.5 + r * (1.0 / 3 - r * 0.25)));
    return e * LN2 + LOG_C[i] + series;
  }
}
