package io.github.keydet.examples.bench;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Synthetic NCHW heads [1, C, S, S] of the decode benchmarks, from a caller's seeded {@link Random} (the values
 * depend only on the order of calls): uniform values, background noise, and 7x7 Gaussian blobs where a trained
 * model puts its peaks.
 */
final class SyntheticHeads {
  private final int size;

  /** Heads of {@code size} x {@code size} cells. */
  SyntheticHeads(int size) {
    this.size = size;
  }

  /** Values uniform in [lo, hi). */
  INDArray values(Random rnd, int channels, float lo, float hi) {
    float[] v = new float[channels * size * size];
    for (int i = 0; i < v.length; i++) {
      v[i] = lo + (hi - lo) * rnd.nextFloat();
    }
    return nchw(v, channels);
  }

  /** Background noise below 0.02 with {@code blobs} blobs of height 0.2-1 at random cells of every channel. */
  INDArray sparseHeat(Random rnd, int channels, int blobs) {
    float[] v = noise(rnd, channels);
    for (int c = 0; c < channels; c++) {
      for (int p = 0; p < blobs; p++) {
        int cy = rnd.nextInt(size);
        int cx = rnd.nextInt(size);
        blob(v, c, cy, cx, 0.2f + 0.8f * rnd.nextFloat());
      }
    }
    return nchw(v, channels);
  }

  /** Background noise below 0.02 in {@code channels} planes, for {@link #blob} to add to. */
  float[] noise(Random rnd, int channels) {
    float[] v = new float[channels * size * size];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextFloat() * 0.02f;
    }
    return v;
  }

  /** A 7x7 Gaussian blob (sigma sqrt 2) of height {@code peak} at (cy, cx) of plane c, kept where larger. */
  void blob(float[] v, int c, int cy, int cx, float peak) {
    for (int dy = -3; dy <= 3; dy++) {
      for (int dx = -3; dx <= 3; dx++) {
        int y = cy + dy;
        int x = cx + dx;
        if (y >= 0 && y < size && x >= 0 && x < size) {
          int i = (c * size + y) * size + x;
          v[i] = Math.max(v[i], peak * (float) Math.exp(-(dx * dx + dy * dy) / 4.0));
        }
      }
    }
  }

  /** Planes of {@code channels} x size x size values as [1, C, S, S]. */
  INDArray nchw(float[] v, int channels) {
    return Nd4j.create(v, new long[] {1, channels, size, size}, 'c');
  }
}
