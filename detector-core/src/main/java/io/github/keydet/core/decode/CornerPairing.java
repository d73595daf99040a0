package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;

import io.github.keydet.api.InvalidInputException;
import java.util.Arrays;

/**
 * Corner pairing shared by {@link CornerNetDecoder} and {@link TripletsDecoder}: top-K corners on each of the
 * top-left and bottom-right heatmaps (the shared {@link PeakTopK}), every (tl, br) pair scored
 * {@code (tl + br) / 2}, pairs rejected as CornerNet's {@code _decode} rejects them, the best {@code numDets}
 * valid pairs kept. Package-private; stateless.
 */
final class CornerPairing {
  private CornerPairing() {}

  /**
   * The heads of a corner model for one call, checked against each other.
   *
   * @param tlHeat top-left heatmap [N, C, H, W]
   * @param brHeat bottom-right heatmap [N, C, H, W]
   * @param tlTag top-left embedding [N, 1, H, W]
   * @param brTag bottom-right embedding [N, 1, H, W]
   * @param tlRegr top-left offset [N, 2, H, W] or null
   * @param brRegr bottom-right offset [N, 2, H, W] or null (both or neither)
   */
  record CornerHeads(
      HeadView tlHeat, HeadView brHeat, HeadView tlTag, HeadView brTag, HeadView tlRegr, HeadView brRegr) {

    /** Reads and checks the canonical heads {@code tl_heat, br_heat, tl_tag, br_tag, tl_regr, br_regr}. */
    static CornerHeads from(Heads heads) {
      HeadView tlHeat = heads.view("tl_heat");
      HeadView brHeat = heads.view("br_heat").requireSameGrid(tlHeat, tlHeat.channels());
      HeadView tlTag = heads.view("tl_tag").requireSameGrid(tlHeat, 1);
      HeadView brTag = heads.view("br_tag").requireSameGrid(tlHeat, 1);
      HeadView tlRegr = heads.optView("tl_regr").map(v -> v.requireSameGrid(tlHeat, 2)).orElse(null);
      HeadView brRegr = heads.optView("br_regr").map(v -> v.requireSameGrid(tlHeat, 2)).orElse(null);
      if ((tlRegr == null) != (brRegr == null)) {
        throw new InvalidInputException(
            "heads 'tl_regr' and 'br_regr' must both be present or both absent; have " + heads.names());
      }
      return new CornerHeads(tlHeat, brHeat, tlTag, brTag, tlRegr, brRegr);
    }

    boolean hasOffsets() {
      return tlRegr != null;
    }
  }

  /**
   * Valid corner pairs of one image, best first (ties: tl rank, then br rank, as the flattened K x K order).
   * Coordinates in output-map cells, offsets applied (none added without offsets).
   */
  record Pairs(int count, float[] x1, float[] y1, float[] x2, float[] y2, float[] score, int[] classId) {}

  /** Pairs the corners of batch item {@code n}. */
  static Pairs pair(
      CornerHeads h,
      int n,
      int k,
      int kernel,
      float aeThreshold,
      int numDets,
      boolean rejectBorder,
      Activation activation) {
    Peaks tl = DecodeChecks.requireProbabilities(PeakTopK.select(h.tlHeat(), n, k, kernel, activation), h.tlHeat(), n,
        activation);
    Peaks br = DecodeChecks.requireProbabilities(PeakTopK.select(h.brHeat(), n, k, kernel, activation), h.brHeat(), n,
        activation);
    int height = h.tlHeat().height();
    int width = h.tlHeat().width();
    float[] tlx = new float[tl.count()];
    float[] tly = new float[tl.count()];
    float[] tlTag = new float[tl.count()];
    boolean[] tlBorder = new boolean[tl.count()];
    for (int i = 0; i < tl.count(); i++) {
      int y = tl.ys()[i];
      int x = tl.xs()[i];
      tlBorder[i] = y == 0 || x == 0;
      tlx[i] = x + (h.hasOffsets() ? h.tlRegr().finite(n, 0, y, x) : 0f);
      tly[i] = y + (h.hasOffsets() ? h.tlRegr().finite(n, 1, y, x) : 0f);
      tlTag[i] = h.tlTag().finite(n, 0, y, x);
    }
    float[] brx = new float[br.count()];
    float[] bry = new float[br.count()];
    float[] brTag = new float[br.count()];
    boolean[] brBorder = new boolean[br.count()];
    for (int j = 0; j < br.count(); j++) {
      int y = br.ys()[j];
      int x = br.xs()[j];
      brBorder[j] = y == height - 1 || x == width - 1;
      brx[j] = x + (h.hasOffsets() ? h.brRegr().finite(n, 0, y, x) : 0f);
      bry[j] = y + (h.hasOffsets() ? h.brRegr().finite(n, 1, y, x) : 0f);
      brTag[j] = h.brTag().finite(n, 0, y, x);
    }
    int nb = br.count();
    long[] keys = new long[Math.max(16, Math.min(tl.count() * nb, 4096))];
    int count = 0;
    for (int i = 0; i < tl.count(); i++) {
      if (rejectBorder && tlBorder[i]) {
        continue;
      }
      int c = tl.classes()[i];
      float ts = tl.scores()[i];
      for (int j = 0; j < nb; j++) {
        if (br.classes()[j] != c
            || Math.abs(tlTag[i] - brTag[j]) > aeThreshold
            || brx[j] < tlx[i]
            || bry[j] < tly[i]
            || (rejectBorder && brBorder[j])) {
          continue;
        }
        if (count == keys.length) {
          keys = Arrays.copyOf(keys, keys.length * 2);
        }
        keys[count++] = descendingKey((ts + br.scores()[j]) / 2f, i * nb + j);
      }
    }
    Arrays.sort(keys, 0, count);
    int kept = Math.min(count, numDets);
    float[] x1 = new float[kept];
    float[] y1 = new float[kept];
    float[] x2 = new float[kept];
    float[] y2 = new float[kept];
    float[] score = new float[kept];
    int[] cls = new int[kept];
    for (int p = 0; p < kept; p++) {
      int flat = (int) keys[p];
      int i = flat / nb;
      int j = flat % nb;
      x1[p] = tlx[i];
      y1[p] = tly[i];
      x2[p] = brx[j];
      y2[p] = bry[j];
      score[p] = (tl.scores()[i] + br.scores()[j]) / 2f;
      cls[p] = tl.classes()[i];
    }
    return new Pairs(kept, x1, y1, x2, y2, score, cls);
  }

  /**
   * A sort key that orders by score descending, then by {@code index} ascending, when sorted ascending as a
   * long. {@code index} must be non-negative.
   */
  static long descendingKey(float score, int index) {
    int bits = Float.floatToIntBits(score == 0f ? 0f : score); // -0 and +0 sort together
    int sortable = bits ^ ((bits >> 31) & 0x7fffffff); // monotone in the float value
    long high = (long) Integer.MAX_VALUE - sortable; // in [0, 2^32 - 1], smaller = better
    return (high << 32) | index;
  }
}
