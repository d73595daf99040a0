package io.github.keydet.core.loss;

/**
 * The focal-loss sums of {@link FocalLoss} for {@link HeatmapInput#LOGITS}, fed block by block (at most
 * {@link #BLOCK} cells). Not thread-safe; one instance per computation.
 *
 * <p>Every pass is a short branch-free loop over double arrays of plain arithmetic, {@code Math.abs/min/max/sqrt}
 * and one division, the shapes C2 turns into SIMD code; table lookups, bit tricks, float-to-double conversion mixed
 * with arithmetic, or a long loop body each keep it scalar (measured on JDK 17: one fused loop is about 8 times
 * slower than these passes together). With x the logit clamped to [-X0, X0], X0 = log((1 - eps) / eps) (the sigmoid is monotone,
 * so this is the clamp of p to [eps, 1 - eps]), a = |x|, t = e^-a and L = log(1 + t):
 *
 * <ul>
 *   <li>{@code -log(1 - p) = max(x, 0) + L} and {@code -log(p) = max(-x, 0) + L}: one logarithm for both, never
 *       {@code log} of a rounded {@code 1 - p};
 *   <li>{@code p = n / (1 + t)} and {@code 1 - p = (t - (n - 1)) / (1 + t)} with n = 1 for x &gt;= 0, else t; both
 *       numerators are exact, so p and 1 - p keep full relative precision however close p is to 0 or 1;
 *   <li>t = (e^(-a/32))^32, the inner exponential by its Taylor series to degree 12 (a/32 &lt;= 0.288, remainder
 *       below 2e-17), so no exponent-field tricks are needed;
 *   <li>L = 2 log r with r = sqrt(1 + t), computed as 4 atanh(s), s = (r - 1) / (r + 1) = t / (1 + r)^2 &lt;= 0.172,
 *       by its series to s^17 (remainder below 1e-15 relative); t enters the numerator exactly, so L keeps its
 *       relative precision for small t.
 * </ul>
 *
 * <p>Relative error per cell is about 1e-14. Sums go lane-wise into arrays (one partial sum per block position)
 * rather than into one scalar, which would serialise on the addition latency.
 */
final class LogitFocalKernel {
  /** Largest block {@link #accept} takes: its 7 double arrays plus the caller's 2 float blocks (32 KB) fit in L1. */
  static final int BLOCK = 512;

  private static final double X0 = Math.log1p(-FocalLoss.SIGMOID_EPS) - Math.log(FocalLoss.SIGMOID_EPS);
  private static final double EXP_SCALE = 1.0 / 32;
  /** Multiplied with a clamped logit: at least 1.4e255 for every positive float, so min(1, .) gives 1. */
  private static final double HUGE = 1e300;
  /** 2^25: {@code |1 - g| * 2^25 >= 2} for every float g other than 1 (float spacing at 1 is at least 2^-24). */
  private static final double NOT_ONE_SCALE = 33554432.0;

  private final double[] x = new double[BLOCK];
  private final double[] g = new double[BLOCK];
  private final double[] weight = new double[BLOCK];
  private final double[] t = new double[BLOCK];
  private final double[] log1pT = new double[BLOCK];
  private final double[] sum = new double[BLOCK];
  private final double[] positives = new double[BLOCK];

  /**
   * Adds the first {@code len} cells of {@code logits} and {@code targets}.
   *
   * @param len at most {@link #BLOCK}
   */
  void accept(float[] logits, float[] targets, int len) {
    widen(logits, x, len);
    widen(targets, g, len);
    clamp(x, len);
    expNegAbsOver32(x, t, len);
    pow32(t, len);
    log1p(t, log1pT, len);
    negativeWeights(g, weight, len);
    positiveIndicators(g, positives, len);
    accumulate(x, t, log1pT, weight, g, sum, len);
  }

  /** The sum over all cells accepted so far of {@code -(pos + neg)} terms (non-negative unless NaN). */
  double sum() {
    double s = 0;
    for (double v : sum) {
      s += v;
    }
    return s;
  }

  /** Number of positive cells ({@code g == 1}) accepted so far. */
  long positives() {
    double s = 0;
    for (double v : positives) {
      s += v;
    }
    return (long) s;
  }

  // conversion on its own: mixed into an arithmetic loop it stops that loop from vectorising
  private static void widen(float[] from, double[] to, int len) {
    for (int i = 0; i < len; i++) {
      to[i] = from[i];
    }
  }

  // NaN stays NaN (Math.min/max propagate it) and later poisons the sum; infinities become +-X0
  private static void clamp(double[] x, int len) {
    for (int i = 0; i < len; i++) {
      x[i] = Math.max(-X0, Math.min(X0, x[i]));
    }
  }

  private static void expNegAbsOver32(double[] x, double[] out, int len) {
    for (int i = 0; i < len; i++) {
      double b = Math.abs(x[i]) * EXP_SCALE;
      out[i] = 1 - b * (1 - b * (1.0 / 2 - b * (1.0 / 6 - b * (1.0 / 24 - b * (1.0 / 120 - b * (1.0 / 720
          - b * (1.0 / 5040 - b * (1.0 / 40320 - b * (1.0 / 362880 - b * (1.0 / 3628800 - b * (1.0 / 39916800
          - b * (1.0 / 479001600))))))))))));
    }
  }

  private static void pow32(double[] t, int len) {
    for (int i = 0; i < len; i++) {
      double e = t[i];
      e *= e;
      e *= e;
      e *= e;
      e *= e;
      t[i] = e * e;
    }
  }

  private static void log1p(double[] t, double[] out, int len) {
    for (int i = 0; i < len; i++) {
      double ti = t[i];
      double r1 = Math.sqrt(1 + ti) + 1;
      double s = ti / (r1 * r1);
      double z = s * s;
      out[i] = 4 * s * (1 + z * (1.0 / 3 + z * (1.0 / 5 + z * (1.0 / 7 + z * (1.0 / 9 + z * (1.0 / 11
          + z * (1.0 / 13 + z * (1.0 / 15 + z * (1.0 / 17)))))))));
    }
  }

  // (1 - g)^4 for g < 1, 0 for g >= 1 (positives and ignored cells); NaN stays NaN
  private static void negativeWeights(double[] g, double[] out, int len) {
    for (int i = 0; i < len; i++) {
      double w = 1 - Math.min(g[i], 1);
      w *= w;
      out[i] = w * w;
    }
  }

  // replaces g by 1 where g == 1 and 0 elsewhere (also for +-infinity), counting the ones lane-wise
  private static void positiveIndicators(double[] g, double[] count, int len) {
    for (int i = 0; i < len; i++) {
      double one = Math.max(0, 1 - Math.abs(1 - g[i]) * NOT_ONE_SCALE);
      g[i] = one;
      count[i] += one;
    }
  }

  private static void accumulate(double[] x, double[] t, double[] log1pT, double[] weight, double[] positive,
      double[] sum, int len) {
    for (int i = 0; i < len; i++) {
      double xi = x[i];
      double ti = t[i];
      double inv = 1 / (1 + ti);
      double n = Math.min(1, Math.max(ti, xi * HUGE));
      double p = n * inv;
      double q = (ti - (n - 1)) * inv;
      double ai = Math.abs(xi);
      double l = log1pT[i];
      // max(x, 0) and max(-x, 0) exactly, added to L without cancellation
      double minusLog1mP = (xi + ai) * 0.5 + l;
      double minusLogP = (ai - xi) * 0.5 + l;
      sum[i] += minusLog1mP * p * p * weight[i] + minusLogP * q * q * positive[i];
    }
  }
}
