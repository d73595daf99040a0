package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;

import io.github.keydet.api.InvalidInputException;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The bound math of the pruned ExtremeNet aggregation: per line, an upper bound of its aggregated values, from one
 * vectorisable pass over the map (see {@link ExtremeEdgeAggregation} for the argument). Static and stateless.
 */
final class EdgeBounds {
  private EdgeBounds() {}

  /**
   * Per line, an upper bound of its aggregated values (margin included), in one pass over the map in the head's
   * row order; null when the bound argument does not apply (see {@link ExtremeEdgeAggregation#topPeaksCounted}).
   *
   * <p>The loops are shaped for C2's auto-vectorisation (measured on the benchmark heads): per-value bounds go to a
   * scratch row before the row's reductions, and columns are accumulated into per-channel arrays indexed from 0
   * (the same loop with an offset into a map-wide array did not vectorise and ran four times slower).
   *
   * @throws InvalidInputException on NaN, naming the first one in row order
   */
  static float[] lineBounds(EdgeLines g, boolean logits, float weight) {
    HeadView heat = g.heat();
    int lines = g.count();
    int len = g.len();
    int h = g.h();
    int w = g.w();
    int sx = heat.strideX();
    // per line: a bound of its largest activated value, and the sum of the per-value bounds (the sigmoid bound,
    // or |v| for probabilities)
    float[] top = new float[lines];
    float[] sum = new float[lines];
    float[] row = new float[w];
    float[] ub = new float[w];
    float[] colSum = g.horizontal() ? null : new float[w];
    float[] colMax = g.horizontal() ? null : new float[w];
    FloatBuffer buf = heat.buffer();
    for (int c = 0; c < g.channels(); c++) {
      if (!g.horizontal()) {
        Arrays.fill(colSum, 0f);
        Arrays.fill(colMax, Float.NEGATIVE_INFINITY);
      }
      for (int y = 0; y < h; y++) {
        readRow(buf, heat.index(g.n(), c, y, 0), sx, row, w);
        if (g.horizontal()) {
          int line = c * h + y;
          if (!rowBounds(row, ub, w, logits, sum, top, line)) {
            throw g.nanAt(line, firstNaN(row));
          }
        } else {
          accumulateColumns(row, w, colSum, colMax, logits);
        }
      }
      if (!g.horizontal()) {
        for (int x = 0; x < w; x++) {
          if (colSum[x] != colSum[x]) { // NaN in the column: report the first NaN of the channel in row order
            throw firstNaNOfChannel(g, c, row);
          }
          sum[c * w + x] = colSum[x];
          top[c * w + x] = logits ? Activation.sigmoid(colMax[x]) : colMax[x];
        }
      }
    }
    float[] bound = new float[lines];
    double keep = weight <= 1 ? 1 - (double) weight : 1; // w > 1: v + w·(rest) <= top + w·sum
    // float rounding of the aggregated values: sums of up to len terms and a few more operations, relative to
    // the bound (all terms are non-negative, or counted by absolute value); plus a generous fixed margin
    double margin = 1e-3 + (len + 8) * 0x1p-22;
    for (int line = 0; line < lines; line++) {
      double s = logits ? Math.min(sum[line], len) : sum[line]; // a sigmoid is at most 1
      double b = keep * Math.max(top[line], 0f) + weight * s;
      b += b * margin + 1e-30;
      if (!(weight >= 0 && b < Float.MAX_VALUE / 4)) {
        return null;
      }
      bound[line] = (float) b;
    }
    return bound;
  }

  private static void readRow(FloatBuffer buf, int start, int step, float[] row, int w) {
    if (step == 1) {
      buf.get(start, row, 0, w);
    } else {
      for (int x = 0; x < w; x++) {
        row[x] = buf.get(start + x * step);
      }
    }
  }

  /**
   * Bounds of one row (a line of a row map): the sum of its per-value bounds into {@code sum[line]} and a bound of
   * its largest activated value into {@code top[line]}; false if the row holds NaN.
   *
   * <p>The largest per-value bound U is found on the bits of the (positive) floats, a cheap integer maximum. With
   * logits, U < 1 means U >= e^max (the polynomial bounds e^x on [-32, 0], and below -32 it is above e^-32), so the
   * largest sigmoid, e^max / (1 + e^max), is at most U / (1 + U): within a fraction of a percent of the exact value
   * where it matters, without a float maximum (whose NaN rules cost more than the rest of the row).
   */
  private static boolean rowBounds(float[] row, float[] ub, int w, boolean logits, float[] sum, float[] top, int line) {
    if (logits) {
      for (int x = 0; x < w; x++) {
        ub[x] = ExtremeEdgeAggregation.sigmoidUpperBound(row[x]);
      }
    } else {
      for (int x = 0; x < w; x++) {
        ub[x] = Math.abs(row[x]);
      }
    }
    // four chains each: independent operations (the margin covers any order of summation)
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int m0 = 0;
    int m1 = 0;
    int m2 = 0;
    int m3 = 0;
    int x = 0;
    for (; x + 4 <= w; x += 4) {
      float u0 = ub[x];
      float u1 = ub[x + 1];
      float u2 = ub[x + 2];
      float u3 = ub[x + 3];
      s0 += u0;
      s1 += u1;
      s2 += u2;
      s3 += u3;
      m0 = Math.max(m0, Float.floatToRawIntBits(u0));
      m1 = Math.max(m1, Float.floatToRawIntBits(u1));
      m2 = Math.max(m2, Float.floatToRawIntBits(u2));
      m3 = Math.max(m3, Float.floatToRawIntBits(u3));
    }
    for (; x < w; x++) {
      s0 += ub[x];
      m0 = Math.max(m0, Float.floatToRawIntBits(ub[x]));
    }
    float s = (s0 + s1) + (s2 + s3);
    if (s != s) {
      return false; // NaN propagates through every bound into the sum
    }
    // ub values are >= +0 (never -0: |v| of a -0 is +0), so their bits order as the values do
    float u = Float.intBitsToFloat(Math.max(Math.max(m0, m1), Math.max(m2, m3)));
    sum[line] = s;
    top[line] = !logits ? u : u < 1f ? (float) Math.nextUp(u / (1.0 + u)) : 1f;
    return true;
  }

  /** Adds one row to the running column bounds of its channel: element-wise, vectorised. */
  private static void accumulateColumns(float[] row, int w, float[] colSum, float[] colMax, boolean logits) {
    if (logits) {
      for (int x = 0; x < w; x++) {
        colSum[x] += ExtremeEdgeAggregation.sigmoidUpperBound(row[x]);
      }
    } else {
      for (int x = 0; x < w; x++) {
        colSum[x] += Math.abs(row[x]);
      }
    }
    for (int x = 0; x < w; x++) {
      colMax[x] = Math.max(colMax[x], row[x]);
    }
  }

  /** The error for the first NaN of channel c of a column map, in row order. */
  private static InvalidInputException firstNaNOfChannel(EdgeLines g, int c, float[] row) {
    HeadView heat = g.heat();
    for (int y = 0; y < g.h(); y++) {
      readRow(heat.buffer(), heat.index(g.n(), c, y, 0), heat.strideX(), row, g.w());
      for (int x = 0; x < g.w(); x++) {
        if (Float.isNaN(row[x])) {
          return g.nanAt(c * g.w() + x, y);
        }
      }
    }
    throw new IllegalStateException("no NaN in channel " + c);
  }

  private static int firstNaN(float[] row) {
    int x = 0;
    while (!Float.isNaN(row[x])) {
      x++;
    }
    return x;
  }
}
