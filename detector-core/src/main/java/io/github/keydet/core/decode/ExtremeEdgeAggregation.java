package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;

import java.nio.FloatBuffer;

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
 *
 * <p>This class holds the entry points and the aggregation of one line; the line geometry is {@link EdgeLines}, the
 * bounds {@link EdgeBounds}, the queue of lines by bound {@link LineQueue} and the pruned top-K {@link
 * PrunedEdgePeaks}.
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


  /**
   * Aggregates one line into {@code dst} from {@code dstStart} in steps of {@code dstStep}, with scratch arrays of
   * the line's length. The line is read once into {@code v} (a bulk copy when it is contiguous in the head).
   */
  static void aggregateLine(
      EdgeLines g, int line, Activation activation, float weight, float[] v, float[] fwd, float[] bwd,
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

  /** The fully aggregated map of batch item n, [1, C, H, W] NCHW. */
  static HeadView full(HeadView heat, int n, Activation activation, float weight, boolean horizontal) {
    EdgeLines g = EdgeLines.of(heat, n, horizontal);
    FloatBuffer buf = heat.buffer();
    for (int line = 0; line < g.count(); line++) {
      int src = g.sourceStart(line);
      for (int i = 0; i < g.len(); i++) {
        if (Float.isNaN(buf.get(src + i * g.sourceStep()))) {
          throw g.nanAt(line, i);
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
    EdgeLines g = EdgeLines.of(heat, n, horizontal);
    float[] bound = EdgeBounds.lineBounds(g, activation == Activation.LOGITS, weight);
    if (bound == null || (long) k > (long) g.h() * g.w()) {
      // bounds the argument does not cover (weights outside [0, inf), values near float overflow, infinite
      // probabilities), or a K that PeakTopK rejects: the plain computation, with its errors
      Peaks p = PeakTopK.select(full(heat, n, activation, weight, horizontal), 0, k, kernel, Activation.PROBABILITIES);
      return new Counted(p, g.count(), g.count());
    }
    return new PrunedEdgePeaks(g, activation, weight, k, (kernel - 1) / 2, bound).run();
  }
}
