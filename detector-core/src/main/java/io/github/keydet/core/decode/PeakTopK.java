package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;

import io.github.keydet.api.InvalidInputException;

/**
 * Heatmap peak NMS fused with top-K selection, in one pass over the heatmap.
 *
 * <p>Semantics are those of the original decoders: a pixel keeps its (activated) value when it equals the
 * maximum of its {@code kernel x kernel} window (borders padded with -inf, so every element of a plateau of
 * equal maxima survives) and becomes 0 otherwise; the K largest of the resulting C·H·W values are returned,
 * best first (CenterNet's per-class-then-overall top-K selects the same set). Ties are broken by memory order,
 * earlier first.
 *
 * <p>Why fused: the NMS'd heatmap is never materialised. A pixel whose raw value cannot beat the current K-th
 * best is skipped with one comparison; only the few that can are checked against their window. NaN values
 * always take the slow path, where they are rejected.
 *
 * <p>With logits the window test compares raw logits, not sigmoids: the float sigmoid is monotone, so a logit at
 * least as large as every neighbour's is a peak, and a smaller one is not, unless the two float sigmoids round
 * to the same value (saturation, or logits closer than the sigmoid's float resolution), which the original's
 * sigmoid-then-maxpool treats as a plateau. Only then are both sigmoids computed and compared; a neighbour whose
 * logit is larger by more than {@link #distinctGap} is known to have a strictly larger float sigmoid. The
 * sigmoid of a pixel is computed only when it is a peak that can enter the top K.
 *
 * <p>This class holds the entry points, their checks and the logit-gap bound; the scan is {@link PeakScan}, its
 * skip loops {@link RunSkip}, its band scratch {@link ChannelRows}, and the selection the shared {@link TopKHeap}.
 */
public final class PeakTopK {
  private PeakTopK() {}

  /**
   * Selects the top-K peaks over all channels of batch item {@code n}.
   *
   * @param heat the heatmap view, probabilities or logits
   * @param n batch index
   * @param k number of peaks, at most C·H·W... and, as in the original per-class top-K, at most H·W
   * @param kernel peak-NMS window (odd; 1 = no suppression)
   * @param activation whether the values still need the sigmoid
   * @throws InvalidInputException on NaN in the heatmap, or when K exceeds H·W
   */
  public static Peaks select(HeadView heat, int n, int k, int kernel, Activation activation) {
    requireArguments(heat, n, k, kernel);
    return new PeakScan(heat, n, k, kernel, activation, Float.NEGATIVE_INFINITY).scanImage().result();
  }

  /**
   * Selects the top-K peaks of one channel of batch item {@code n} (CenterNet's {@code _topk_channel}), reading
   * the view in place; classes are all {@code c}. Ties are broken by {@code y·W + x}, earlier first.
   *
   * <p>Pixels whose activated value is at or below {@code floor} are left out entirely (not even as suppressed
   * zeros), and so are suppressed pixels (0 after the NMS) when {@code floor} is 0 or more, so the result can hold
   * fewer than K entries; with {@code floor} -inf it is exactly the top K of the NMS'd channel. Leaving them out lets the scan skip the background with one comparison per pixel. The peaks
   * above {@code floor} and their order are the same either way: a pixel at or below the floor cannot suppress
   * one above it.
   *
   * @param heat the heatmap view, probabilities or logits
   * @param n batch index
   * @param c channel
   * @param k number of peaks, at most H·W
   * @param kernel peak-NMS window (odd; 1 = no suppression)
   * @param activation whether the values still need the sigmoid
   * @param floor activated values at or below it are left out; -inf keeps all (must be -inf or in [0, 1] with
   *     logits)
   * @throws InvalidInputException on NaN in the channel, or when K exceeds H·W
   */
  public static Peaks selectChannel(
      HeadView heat, int n, int c, int k, int kernel, Activation activation, float floor) {
    return selectChannel(heat, n, c, k, kernel, activation, floor, (float[]) null);
  }

  /**
   * As {@link #selectChannel(HeadView, int, int, int, int, Activation, float)}, with a caller's scratch plane for
   * views over direct (off-heap) memory such as ND4J's: an NCHW channel is then bulk-copied into {@code scratch}
   * once and scanned there, instead of reading the buffer in small pieces around every value above the threshold
   * (decoders that scan many channels pass one scratch for all of them). Heap-backed views, NHWC views and a null
   * or too small scratch are scanned in place. Same result either way.
   *
   * @param scratch null, or an array of at least H·W floats that the call may overwrite
   */
  public static Peaks selectChannel(
      HeadView heat, int n, int c, int k, int kernel, Activation activation, float floor, float[] scratch) {
    return selectChannel(heat, n, c, k, kernel, activation, floor, scratch, null);
  }

  /**
   * As {@link #selectChannel(HeadView, int, int, int, int, Activation, float, float[])} with a caller's {@link
   * ChannelRows} for its channel size: probabilities with a floor of 0 or more, in an NCHW view, are then scanned
   * band by band from a row-by-row copy; other cases use its flat plane. Same result either way. Its heap is reused
   * for the selection.
   */
  static Peaks selectChannel(
      HeadView heat, int n, int c, int k, int kernel, Activation activation, float floor, ChannelRows rows) {
    return selectChannel(heat, n, c, k, kernel, activation, floor, null, rows);
  }

  private static Peaks selectChannel(
      HeadView heat, int n, int c, int k, int kernel, Activation activation, float floor, float[] scratch,
      ChannelRows rows) {
    requireArguments(heat, n, k, kernel);
    if (c < 0 || c >= heat.channels()) {
      throw new InvalidInputException("channel " + c + " outside heatmap '" + heat.name() + "' of " + heat.channels());
    }
    float rawFloor = floor == Float.NEGATIVE_INFINITY ? floor : activation.rawAtMost(floor);
    PeakScan scan = rows == null
        ? new PeakScan(heat, n, k, kernel, activation, rawFloor)
        : new PeakScan(heat, n, kernel, activation, rawFloor, rows.emptyHeap(k));
    return scan.scanChannel(c, scratch, rows).result();
  }

  /** The checks both selections make, in this order: K, kernel, K against H·W, batch index. */
  private static void requireArguments(HeadView heat, int n, int k, int kernel) {
    DecodeChecks.requirePositiveK(k);
    DecodeChecks.requireOddKernel(kernel);
    int h = heat.height();
    int w = heat.width();
    if ((long) k > (long) h * w) {
      throw new InvalidInputException(
          "K = " + k + " exceeds the " + h + "x" + w + " = " + (h * w) + " cells of heatmap '" + heat.name() + "'");
    }
    if (n < 0 || n >= heat.batch()) {
      throw new InvalidInputException("batch index " + n + " outside heatmap '" + heat.name() + "' of batch " + heat.batch());
    }
  }

  /** Smallest logit difference, by {@code (int) max(|a|, |b|)}, above which the float sigmoids surely differ. */
  private static final double[] GAP = new double[30];

  static {
    // Exact sigmoid difference >= (b - a) * min sigmoid' on [a, b] >= (b - a) * e^-M / 4 with M = max(|a|, |b|);
    // float values in [0, 1] are at most 2^-24 apart, so an exact difference above 2^-23 survives rounding
    // (and the double computation's ~1e-16 error). Margin 2: require (b - a) > 2^-20 * e^(floor(M) + 1).
    for (int m = 0; m < GAP.length; m++) {
      GAP[m] = Math.scalb(Math.exp(m + 1), -20);
    }
  }

  /**
   * Whether logit {@code a < b} surely has a strictly smaller float sigmoid than {@code b}; false means "maybe
   * not" (or NaN), and the caller compares the sigmoids themselves.
   */
  static boolean distinctGap(float a, float b) {
    float m = Math.max(Math.abs(a), Math.abs(b));
    return m < GAP.length && (double) b - (double) a > GAP[(int) m];
  }
}
