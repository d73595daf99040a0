package io.github.keydet.core.decode;

import io.github.keydet.api.InvalidInputException;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * ExtremeNet's edge aggregation, line by line, and an exact shortcut for the top-K peaks of the aggregated map.
 * Package-private; see {@link ExtremeGrouping#aggregate} and {@link ExtremeGrouping#aggregatedPeaks}.
 *
 * <p>Why a shortcut: aggregation needs the sigmoid of every value (four maps of C·H·W), which costs far more
 * than the grouping. An aggregated value on a line (a row for t/b, a column for l/r) is at most the line's
 * largest activated value plus {@code weight} times the sum of its other values, and a cheap upper bound of that
 * sum comes from a table of sigmoid bounds. Lines are aggregated best bound first; once K pixels of the
 * aggregated lines are certain peaks (no aggregated neighbour above them) with values above every remaining
 * line's bound, no remaining pixel can enter the top K or suppress one that does, and the rest of the map is
 * left at 0. The selection then runs on that map with the shared {@link PeakTopK}, and returns exactly what it
 * returns on the fully aggregated map.
 */
final class ExtremeEdgeAggregation {
  private ExtremeEdgeAggregation() {}

  private static final float LO = -30f;
  private static final float HI = 30f;
  /** SIGMOID_UB[i] = sigmoid(LO + (i + 1) / 4), i = floor((x - LO) * 4) + 1: an upper bound of sigmoid(x). */
  private static final float[] SIGMOID_UB = new float[(int) ((HI - LO) * 4) + 2];

  static {
    for (int i = 0; i < SIGMOID_UB.length; i++) {
      SIGMOID_UB[i] = Activation.sigmoid(LO + (i + 1) / 4f);
    }
  }

  /** An upper bound of {@link Activation#sigmoid(float)} (not NaN). */
  static float sigmoidUpperBound(float x) {
    // branch-free (selects, not jumps: it runs on every value of a map): below LO index 0; at or above HI
    // (and NaN) the last entry, sigmoid(30.5) = 1f; else one bucket of margin against rounding of (x - LO) * 4
    float xc = x < LO ? LO - 0.25f : (x < HI ? x : HI);
    return SIGMOID_UB[(int) ((xc - LO) * 4) + 1];
  }

  /** Geometry of one map's lines. */
  private record Lines(HeadView heat, int n, boolean horizontal, int channels, int h, int w, int count, int len) {
    static Lines of(HeadView heat, int n, boolean horizontal) {
      int c = heat.channels();
      int h = heat.height();
      int w = heat.width();
      return new Lines(heat, n, horizontal, c, h, w, horizontal ? c * h : c * w, horizontal ? w : h);
    }

    /** Buffer index in the head of position 0 of a line. */
    int sourceStart(int line) {
      return horizontal ? heat.index(n, line / h, line % h, 0) : heat.index(n, line / w, 0, line % w);
    }

    /** Buffer index step between positions of a line. */
    int sourceStep() {
      return horizontal ? heat.strideX() : heat.strideY();
    }

    /** Index in the NCHW output map of position 0 of a line. */
    int targetStart(int line) {
      return horizontal ? line * w : (line / w) * h * w + line % w;
    }

    /** Output index step between positions of a line. */
    int targetStep() {
      return horizontal ? 1 : w;
    }

    /** The line holding output index {@code at}. */
    int lineOf(int at) {
      int c = at / (h * w);
      int rem = at % (h * w);
      return horizontal ? c * h + rem / w : c * w + rem % w;
    }
  }

  /** Aggregates one line into {@code out} (NCHW), with scratch arrays of the line's length. */
  private static void aggregateLine(
      Lines g, int line, Activation activation, float weight, float[] v, float[] fwd, float[] bwd, float[] out) {
    FloatBuffer buf = g.heat().buffer();
    boolean logits = activation == Activation.LOGITS;
    int len = g.len();
    int src = g.sourceStart(line);
    int srcStep = g.sourceStep();
    for (int i = 0; i < len; i++) {
      float raw = buf.get(src + i * srcStep);
      v[i] = logits ? Activation.sigmoid(raw) : raw;
    }
    fwd[0] = v[0];
    for (int i = 1; i < len; i++) {
      fwd[i] = v[i] >= v[i - 1] ? v[i] + fwd[i - 1] : v[i];
    }
    bwd[len - 1] = v[len - 1];
    for (int i = len - 2; i >= 0; i--) {
      bwd[i] = v[i] >= v[i + 1] ? v[i] + bwd[i + 1] : v[i];
    }
    int dst = g.targetStart(line);
    int dstStep = g.targetStep();
    for (int i = 0; i < len; i++) {
      out[dst + i * dstStep] = weight * (fwd[i] - v[i]) + weight * (bwd[i] - v[i]) + v[i];
    }
  }

  private static InvalidInputException nan(Lines g, int line, int i) {
    int c = g.horizontal() ? line / g.h() : line / g.w();
    int y = g.horizontal() ? line % g.h() : i;
    int x = g.horizontal() ? i : line % g.w();
    return new InvalidInputException(
        "NaN in heatmap '" + g.heat().name() + "' at batch " + g.n() + ", channel " + c + ", y " + y + ", x " + x);
  }

  private static int firstNaN(float[] row) {
    int x = 0;
    while (!Float.isNaN(row[x])) {
      x++;
    }
    return x;
  }

  /** The fully aggregated map of batch item n, [1, C, H, W] NCHW. */
  static HeadView full(HeadView heat, int n, Activation activation, float weight, boolean horizontal) {
    Lines g = Lines.of(heat, n, horizontal);
    FloatBuffer buf = heat.buffer();
    for (int line = 0; line < g.count(); line++) {
      int src = g.sourceStart(line);
      for (int i = 0; i < g.len(); i++) {
        if (Float.isNaN(buf.get(src + i * g.sourceStep()))) {
          throw nan(g, line, i);
        }
      }
    }
    float[] out = new float[g.channels() * g.h() * g.w()];
    float[] v = new float[g.len()];
    float[] fwd = new float[g.len()];
    float[] bwd = new float[g.len()];
    for (int line = 0; line < g.count(); line++) {
      aggregateLine(g, line, activation, weight, v, fwd, bwd, out);
    }
    return HeadView.of(heat.name(), out, new long[] {1, g.channels(), g.h(), g.w()}, Layout.NCHW);
  }

  /** The top-K peaks of the aggregated map, exactly {@code PeakTopK.select(full(...), 0, k, kernel, PROBABILITIES)}. */
  static Peaks topPeaks(
      HeadView heat, int n, Activation activation, float weight, boolean horizontal, int k, int kernel) {
    return topPeaksCounted(heat, n, activation, weight, horizontal, k, kernel).peaks();
  }

  /** {@link #topPeaks} with the number of lines it aggregated, out of all. */
  record Counted(Peaks peaks, int aggregatedLines, int lines) {}

  static Counted topPeaksCounted(
      HeadView heat, int n, Activation activation, float weight, boolean horizontal, int k, int kernel) {
    DecodeChecks.requirePositiveK(k);
    DecodeChecks.requireOddKernel(kernel);
    Lines g = Lines.of(heat, n, horizontal);
    FloatBuffer buf = heat.buffer();
    boolean logits = activation == Activation.LOGITS;
    int lines = g.count();
    int len = g.len();
    // Bounds per line in one pass in the head's row order: the largest raw value and the sum of sigmoid bounds.
    float[] maxRaw = new float[lines];
    double[] sum = new double[lines];
    Arrays.fill(maxRaw, Float.NEGATIVE_INFINITY);
    int h = g.h();
    int w = g.w();
    int sx = heat.strideX();
    // each image row is copied once into a small array (the head may be a direct buffer or NHWC); a row's sum
    // goes to four partial sums, so the additions do not form one dependent chain (the bound keeps a 1e-3
    // relative margin, far above any difference the order of the additions makes)
    float[] row = new float[w];
    FloatBuffer view = buf.duplicate();
    for (int c = 0; c < g.channels(); c++) {
      for (int y = 0; y < h; y++) {
        int src = heat.index(n, c, y, 0);
        if (sx == 1) {
          view.get(src, row, 0, w);
        } else {
          for (int x = 0; x < w; x++) {
            row[x] = buf.get(src + x * sx);
          }
        }
        boolean nan = false;
        if (horizontal) {
          int line = c * h + y;
          float m = maxRaw[line];
          double a0 = 0;
          double a1 = 0;
          int x = 0;
          for (; x + 2 <= w; x += 2) {
            float r0 = row[x];
            float r1 = row[x + 1];
            nan |= r0 != r0 | r1 != r1;
            m = r0 > m ? r0 : m;
            m = r1 > m ? r1 : m;
            a0 += logits ? sigmoidUpperBound(r0) : Math.max(r0, 0f);
            a1 += logits ? sigmoidUpperBound(r1) : Math.max(r1, 0f);
          }
          for (; x < w; x++) {
            float r0 = row[x];
            nan |= r0 != r0;
            m = r0 > m ? r0 : m;
            a0 += logits ? sigmoidUpperBound(r0) : Math.max(r0, 0f);
          }
          if (nan) {
            throw nan(g, line, firstNaN(row));
          }
          maxRaw[line] = m;
          sum[line] = a0 + a1;
        } else {
          int line0 = c * w;
          for (int x = 0; x < w; x++) {
            float raw = row[x];
            nan |= raw != raw;
            if (raw > maxRaw[line0 + x]) {
              maxRaw[line0 + x] = raw;
            }
            sum[line0 + x] += logits ? sigmoidUpperBound(raw) : Math.max(raw, 0f);
          }
          if (nan) {
            int x = firstNaN(row);
            throw nan(g, line0 + x, y);
          }
        }
      }
    }
    long[] keys = new long[lines];
    float[] bound = new float[lines];
    for (int line = 0; line < lines; line++) {
      float top = logits ? Activation.sigmoid(maxRaw[line]) : maxRaw[line];
      // generous margin for float rounding of the aggregated sums
      double b = top + (double) weight * sum[line];
      b += Math.abs(b) * 1e-3 + 1e-30;
      bound[line] = (float) Math.min(b, Float.MAX_VALUE);
      keys[line] = CornerPairing.descendingKey(bound[line], line);
    }
    Arrays.sort(keys);
    float[] out = new float[g.channels() * g.h() * g.w()];
    boolean[] done = new boolean[lines];
    float[] v = new float[len];
    float[] fwd = new float[len];
    float[] bwd = new float[len];
    int computed = 0;
    int step = Math.max(16, k);
    int radius = (kernel - 1) / 2;
    while (computed < lines) {
      int end = Math.min(lines, computed + step);
      for (int q = computed; q < end; q++) {
        int line = (int) keys[q];
        aggregateLine(g, line, activation, weight, v, fwd, bwd, out);
        done[line] = true;
      }
      computed = end;
      step *= 2;
      if (computed < lines
          && certainPeaksAbove(g, out, done, keys, computed, bound[(int) keys[computed]], radius, k)) {
        break;
      }
    }
    Peaks peaks =
        PeakTopK.select(
            HeadView.of(heat.name(), out, new long[] {1, g.channels(), g.h(), g.w()}, Layout.NCHW),
            0, k, kernel, Activation.PROBABILITIES);
    return new Counted(peaks, computed, lines);
  }

  /**
   * Whether at least k pixels of the aggregated lines exceed {@code limit} and are not below any aggregated
   * neighbour in their window (neighbours on lines not yet aggregated are below {@code limit}).
   */
  private static boolean certainPeaksAbove(
      Lines g, float[] out, boolean[] done, long[] keys, int computed, float limit, int radius, int k) {
    int h = g.h();
    int w = g.w();
    int found = 0;
    for (int q = 0; q < computed; q++) {
      int line = (int) keys[q];
      int start = g.targetStart(line);
      for (int i = 0; i < g.len(); i++) {
        int at = start + i * g.targetStep();
        float value = out[at];
        if (!(value > limit)) {
          continue;
        }
        int c = at / (h * w);
        int y = (at / w) % h;
        int x = at % w;
        boolean peak = true;
        for (int yy = Math.max(0, y - radius); peak && yy <= Math.min(h - 1, y + radius); yy++) {
          for (int xx = Math.max(0, x - radius); xx <= Math.min(w - 1, x + radius); xx++) {
            int nb = (c * h + yy) * w + xx;
            if (done[g.lineOf(nb)] && out[nb] > value) {
              peak = false;
              break;
            }
          }
        }
        if (peak && ++found >= k) {
          return true;
        }
      }
    }
    return false;
  }
}
