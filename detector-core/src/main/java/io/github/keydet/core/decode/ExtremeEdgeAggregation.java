package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;

import io.github.keydet.api.InvalidInputException;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * ExtremeNet's edge aggregation, line by line, and an exact shortcut for the top-K peaks of the aggregated map.
 * Package-private; see {@link ExtremeGrouping#aggregate} and {@link ExtremeGrouping#aggregatedPeaks}.
 *
 * <p>Why a shortcut: aggregation needs the exact sigmoid of every value (four maps of C·H·W), which costs far more
 * than the grouping. An aggregated value on a line (a row for t/b, a column for l/r) is {@code v + w·(left run) +
 * w·(right run)}, the runs being disjoint parts of the line without {@code v}, so it is at most {@code (1 - w)·top
 * + w·sum} (w at most 1) with {@code top} the line's largest activated value and {@code sum} an upper bound of the
 * sum of its activated values. One vectorisable pass over the map gives every line's bound (a polynomial bound of
 * the sigmoid, no exp). Lines are then aggregated best bound first, and the peaks are read off the aggregated lines
 * as soon as K of them are certain: above every remaining line's bound and not below any aggregated neighbour
 * (the other neighbours are on remaining lines, so below them too). Those are exactly the top K of the fully
 * aggregated map with peak NMS, in {@link PeakTopK}'s order. When that never happens (K larger than the peaks above
 * the background, plateaus) every line ends up aggregated and the shared {@link PeakTopK} runs on the whole map.
 */
final class ExtremeEdgeAggregation {
  private ExtremeEdgeAggregation() {}

  /**
   * An upper bound of {@link Activation#sigmoid(float)}, exp-free so that a loop over a row vectorises: the sigmoid
   * is below e^x, and for {@code a = x/32 <= 0}, {@code e^a <= 1 + a + a²/2} (the Taylor remainder {@code a³e^ξ/6}
   * is not positive), so {@code e^x <= (1 + a + a²/2)^32}, within 4% of e^x for x in [-6, 0]. Arguments below -32
   * are raised to -32 (the quadratic grows again below -1); above 0 the result exceeds 1 (and is +inf from about
   * 88 on), so callers cap sums at one per value. NaN gives NaN. Checked against the float sigmoid for every float
   * in [-200, 100].
   */
  static float sigmoidUpperBound(float x) {
    float a = Math.max(x, -32f) * 0x1p-5f;
    float p = 1f + a * (1f + a * 0.5f);
    p *= p;
    p *= p;
    p *= p;
    p *= p;
    return p * p;
  }

  /** Geometry of one map's lines. */
  private record Lines(HeadView heat, int n, boolean horizontal, int channels, int h, int w, int count, int len) {
    static Lines of(HeadView heat, int n, boolean horizontal) {
      int c = heat.channels();
      int h = heat.height();
      int w = heat.width();
      return new Lines(heat, n, horizontal, c, h, w, horizontal ? c * h : c * w, horizontal ? w : h);
    }

    /** Lines per channel: the line's index across the lines of its channel is {@code line % across()}. */
    int across() {
      return horizontal ? h : w;
    }

    /** Buffer index in the head of position 0 of a line. */
    int sourceStart(int line) {
      return horizontal ? heat.index(n, line / h, line % h, 0) : heat.index(n, line / w, 0, line % w);
    }

    /** Buffer index step between positions of a line. */
    int sourceStep() {
      return horizontal ? heat.strideX() : heat.strideY();
    }

    /** Index in the NCHW output map of position 0 of a line (also the order PeakTopK breaks ties by). */
    int targetStart(int line) {
      return horizontal ? line * w : (line / w) * h * w + line % w;
    }

    /** Output index step between positions of a line. */
    int targetStep() {
      return horizontal ? 1 : w;
    }
  }

  /**
   * Aggregates one line into {@code dst} from {@code dstStart} in steps of {@code dstStep}, with scratch arrays of
   * the line's length. The line is read once into {@code v} (a bulk copy when it is contiguous in the head).
   */
  private static void aggregateLine(
      Lines g, int line, Activation activation, float weight, float[] v, float[] fwd, float[] bwd,
      float[] dst, int dstStart, int dstStep) {
    FloatBuffer buf = g.heat().buffer();
    int len = g.len();
    int src = g.sourceStart(line);
    int srcStep = g.sourceStep();
    if (srcStep == 1) {
      buf.get(src, v, 0, len);
    } else {
      for (int i = 0; i < len; i++) {
        v[i] = buf.get(src + i * srcStep);
      }
    }
    if (activation == Activation.LOGITS) {
      for (int i = 0; i < len; i++) {
        v[i] = Activation.sigmoid(v[i]);
      }
    }
    fwd[0] = v[0];
    for (int i = 1; i < len; i++) {
      fwd[i] = v[i] >= v[i - 1] ? v[i] + fwd[i - 1] : v[i];
    }
    bwd[len - 1] = v[len - 1];
    for (int i = len - 2; i >= 0; i--) {
      bwd[i] = v[i] >= v[i + 1] ? v[i] + bwd[i + 1] : v[i];
    }
    for (int i = 0; i < len; i++) {
      dst[dstStart + i * dstStep] = weight * (fwd[i] - v[i]) + weight * (bwd[i] - v[i]) + v[i];
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
      aggregateLine(g, line, activation, weight, v, fwd, bwd, out, g.targetStart(line), g.targetStep());
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
    float[] bound = lineBounds(g, activation == Activation.LOGITS, weight);
    if (bound == null || (long) k > (long) g.h() * g.w()) {
      // bounds the argument does not cover (weights outside [0, inf), values near float overflow, infinite
      // probabilities), or a K that PeakTopK rejects: the plain computation, with its errors
      Peaks p = PeakTopK.select(full(heat, n, activation, weight, horizontal), 0, k, kernel, Activation.PROBABILITIES);
      return new Counted(p, g.count(), g.count());
    }
    return new Pruned(g, activation, weight, k, (kernel - 1) / 2, bound).run();
  }

  /**
   * Per line, an upper bound of its aggregated values (margin included), in one pass over the map in the head's
   * row order; null when the bound argument does not apply (see {@link #topPeaksCounted}).
   *
   * <p>The loops are shaped for C2's auto-vectorisation (measured on the benchmark heads): per-value bounds go to a
   * scratch row before the row's reductions, and columns are accumulated into per-channel arrays indexed from 0
   * (the same loop with an offset into a map-wide array did not vectorise and ran four times slower).
   *
   * @throws InvalidInputException on NaN, naming the first one in row order
   */
  private static float[] lineBounds(Lines g, boolean logits, float weight) {
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
            throw nan(g, line, firstNaN(row));
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
        ub[x] = sigmoidUpperBound(row[x]);
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
        colSum[x] += sigmoidUpperBound(row[x]);
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
  private static InvalidInputException firstNaNOfChannel(Lines g, int c, float[] row) {
    HeadView heat = g.heat();
    for (int y = 0; y < g.h(); y++) {
      readRow(heat.buffer(), heat.index(g.n(), c, y, 0), heat.strideX(), row, g.w());
      for (int x = 0; x < g.w(); x++) {
        if (Float.isNaN(row[x])) {
          return nan(g, c * g.w() + x, y);
        }
      }
    }
    throw new IllegalStateException("no NaN in channel " + c);
  }

  /**
   * Lines by bound, best first: a binary min-heap of {@link CornerPairing#descendingKey} keys (bound descending,
   * then line), built in linear time. Only the lines that get aggregated are ever taken out, a small part of all.
   */
  private static final class LineQueue {
    private final long[] heap;
    private int size;

    LineQueue(float[] bound) {
      heap = new long[bound.length];
      for (int line = 0; line < bound.length; line++) {
        heap[line] = CornerPairing.descendingKey(bound[line], line);
      }
      size = bound.length;
      for (int i = size / 2 - 1; i >= 0; i--) {
        siftDown(i);
      }
    }

    boolean isEmpty() {
      return size == 0;
    }

    int peek() {
      return (int) heap[0];
    }

    int poll() {
      int line = (int) heap[0];
      heap[0] = heap[--size];
      siftDown(0);
      return line;
    }

    private void siftDown(int i) {
      long key = heap[i];
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && heap[child + 1] < heap[child]) {
          child++;
        }
        if (heap[child] >= key) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = key;
    }
  }

  /** The partial aggregation of one map; one per call. */
  private static final class Pruned {
    private final Lines g;
    private final Activation activation;
    private final float weight;
    private final int k;
    private final int radius;
    private final float[] bound;
    private final LineQueue queue;
    /** Aggregated values of each aggregated line, null for the others. */
    private final float[][] values;
    /** The aggregated lines, in the order they were aggregated. */
    private final int[] done;
    private int doneCount;
    private final float[] v;
    private final float[] fwd;
    private final float[] bwd;
    /** Min-heap of the K largest candidate values (see {@link #kthCandidate}). */
    private final float[] best;

    Pruned(Lines g, Activation activation, float weight, int k, int radius, float[] bound) {
      this.g = g;
      this.activation = activation;
      this.weight = weight;
      this.k = k;
      this.radius = radius;
      this.bound = bound;
      this.queue = new LineQueue(bound);
      this.values = new float[g.count()][];
      this.done = new int[g.count()];
      this.v = new float[g.len()];
      this.fwd = new float[g.len()];
      this.bwd = new float[g.len()];
      this.best = new float[k];
    }

    Counted run() {
      int step = Math.max(16, k);
      while (!queue.isEmpty()) {
        float kth = kthCandidate();
        if (kth > bound[queue.peek()]) {
          return new Counted(certainPeaks(kth), doneCount, g.count());
        }
        // The next lines: those that could hold a value of at least the K-th candidate (all of them while there
        // are fewer than K), at most a doubling step — an early K-th candidate can be far below the final one —
        // and at least an eighth more than so far, so that the rescans stay linear in the lines aggregated.
        int least = Math.max(1, doneCount / 8);
        boolean any = Float.isNaN(kth);
        for (int i = 0; i < step && !queue.isEmpty() && (i < least || any || bound[queue.peek()] >= kth); i++) {
          aggregate(queue.poll());
        }
        step *= 2;
      }
      return new Counted(densePeaks(), doneCount, g.count());
    }

    private void aggregate(int line) {
      float[] out = new float[g.len()];
      aggregateLine(g, line, activation, weight, v, fwd, bwd, out, 0, 1);
      values[line] = out;
      done[doneCount++] = line;
    }

    /**
     * The K-th largest value among the candidates — aggregated values not below any aggregated value of their
     * window — or NaN when there are fewer than K. Every peak of the whole map above the remaining lines' bounds
     * is a candidate, and every candidate above them is such a peak.
     */
    private float kthCandidate() {
      int size = 0;
      for (int q = 0; q < doneCount; q++) {
        int line = done[q];
        float[] row = values[line];
        for (int i = 0; i < row.length; i++) {
          float value = row[i];
          if (size == k && !(value > best[0])) {
            continue;
          }
          if (!candidate(line, i, value)) {
            continue;
          }
          if (size < k) {
            siftUp(size++, value);
          } else {
            replaceMin(value);
          }
        }
      }
      return size < k ? Float.NaN : best[0];
    }

    /** Whether {@code value}, at position {@code i} of {@code line}, is >= every aggregated value of its window. */
    private boolean candidate(int line, int i, float value) {
      int across = g.across();
      int u = line % across;
      int channelStart = line - u;
      int i0 = Math.max(0, i - radius);
      int i1 = Math.min(g.len() - 1, i + radius);
      // the window is square, so lines u ± radius of the channel and positions i ± radius, in either direction
      for (int uu = Math.max(0, u - radius); uu <= Math.min(across - 1, u + radius); uu++) {
        float[] other = values[channelStart + uu];
        if (other == null) {
          continue;
        }
        for (int j = i0; j <= i1; j++) {
          if (!(value >= other[j])) {
            return false;
          }
        }
      }
      return true;
    }

    private void siftUp(int i, float value) {
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (best[parent] <= value) {
          break;
        }
        best[i] = best[parent];
        i = parent;
      }
      best[i] = value;
    }

    private void replaceMin(float value) {
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= k) {
          break;
        }
        if (child + 1 < k && best[child + 1] < best[child]) {
          child++;
        }
        if (best[child] >= value) {
          break;
        }
        best[i] = best[child];
        i = child;
      }
      best[i] = value;
    }

    /**
     * The K best candidates of value at least {@code kth} (all certain peaks), ordered as PeakTopK orders them:
     * value descending, then NCHW index ascending.
     */
    private Peaks certainPeaks(float kth) {
      long[] keys = new long[16];
      int count = 0;
      for (int q = 0; q < doneCount; q++) {
        int line = done[q];
        float[] row = values[line];
        for (int i = 0; i < row.length; i++) {
          if (row[i] >= kth && candidate(line, i, row[i])) {
            if (count == keys.length) {
              keys = Arrays.copyOf(keys, 2 * count);
            }
            keys[count++] = CornerPairing.descendingKey(row[i], g.targetStart(line) + i * g.targetStep());
          }
        }
      }
      Arrays.sort(keys, 0, count);
      int h = g.h();
      int w = g.w();
      float[] scores = new float[k];
      int[] cs = new int[k];
      int[] ys = new int[k];
      int[] xs = new int[k];
      for (int j = 0; j < k; j++) {
        int at = (int) keys[j];
        int c = at / (h * w);
        int y = at / w % h;
        int x = at % w;
        cs[j] = c;
        ys[j] = y;
        xs[j] = x;
        scores[j] = g.horizontal() ? values[c * h + y][x] : values[c * w + x][y];
      }
      return new Peaks(k, scores, cs, ys, xs);
    }

    /** Every line aggregated: the whole map through the shared selection. */
    private Peaks densePeaks() {
      float[] out = new float[g.channels() * g.h() * g.w()];
      for (int line = 0; line < g.count(); line++) {
        float[] row = values[line];
        int start = g.targetStart(line);
        int step = g.targetStep();
        for (int i = 0; i < row.length; i++) {
          out[start + i * step] = row[i];
        }
      }
      HeadView map = HeadView.of(g.heat().name(), out, new long[] {1, g.channels(), g.h(), g.w()}, Layout.NCHW);
      return PeakTopK.select(map, 0, k, 2 * radius + 1, Activation.PROBABILITIES);
    }
  }
}
