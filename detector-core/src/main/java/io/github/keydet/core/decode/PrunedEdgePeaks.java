package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;

import java.util.Arrays;

/**
 * The partial aggregation of one ExtremeNet edge map for its top-K peaks: lines are aggregated best bound first
 * ({@link LineQueue}) until K candidates are certain (see {@link ExtremeEdgeAggregation}). Mutable, one per call.
 */
final class PrunedEdgePeaks {
  private final EdgeLines g;
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
  /** The K largest candidate values of {@link #kthCandidate}: values only, all orders 0. */
  private final TopKHeap best;

  PrunedEdgePeaks(EdgeLines g, Activation activation, float weight, int k, int radius, float[] bound) {
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
    this.best = new TopKHeap(k);
  }

  ExtremeEdgeAggregation.Counted run() {
    int step = Math.max(16, k);
    while (!queue.isEmpty()) {
      float kth = kthCandidate();
      if (kth > bound[queue.peek()]) {
        return new ExtremeEdgeAggregation.Counted(certainPeaks(kth), doneCount, g.count());
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
    return new ExtremeEdgeAggregation.Counted(densePeaks(), doneCount, g.count());
  }

  private void aggregate(int line) {
    float[] out = new float[g.len()];
    ExtremeEdgeAggregation.aggregateLine(g, line, activation, weight, v, fwd, bwd, out, 0, 1);
    values[line] = out;
    done[doneCount++] = line;
  }

  /**
   * The K-th largest value among the candidates — aggregated values not below any aggregated value of their
   * window — or NaN when there are fewer than K. Every peak of the whole map above the remaining lines' bounds
   * is a candidate, and every candidate above them is such a peak.
   */
  private float kthCandidate() {
    best.clear();
    for (int q = 0; q < doneCount; q++) {
      int line = done[q];
      float[] row = values[line];
      for (int i = 0; i < row.length; i++) {
        float value = row[i];
        if (best.admits(value, 0) && candidate(line, i, value)) {
          best.offer(value, 0);
        }
      }
    }
    return best.isFull() ? best.worstValue() : Float.NaN;
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
