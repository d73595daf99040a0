package io.github.keydet.core.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PeakTopK} equals a brute force: materialise the NMS'd heat ({@code heat * (maxpool == heat)}, -inf
 * borders), sort all C·H·W values descending (ties in memory order), take K.
 */
class PeakTopKBruteForceTest {

  private record Entry(float score, int c, int y, int x, long order) {}

  /** Brute force on an NCHW array of one image, values already activated. */
  private static List<Entry> bruteForce(float[] act, int ch, int h, int w, int k, int kernel, Layout layout) {
    int r = (kernel - 1) / 2;
    List<Entry> all = new ArrayList<>();
    for (int c = 0; c < ch; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = act[(c * h + y) * w + x];
          float max = Float.NEGATIVE_INFINITY;
          for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
              int yy = y + dy;
              int xx = x + dx;
              if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                max = Math.max(max, act[(c * h + yy) * w + xx]);
              }
            }
          }
          float kept = max == v ? v : 0f;
          long order = layout == Layout.NCHW ? (long) (c * h + y) * w + x : (long) (y * w + x) * ch + c;
          all.add(new Entry(kept, c, y, x, order));
        }
      }
    }
    all.sort(Comparator.comparing((Entry e) -> -e.score).thenComparingLong(e -> e.order));
    return all.subList(0, k);
  }

  /** A heatmap with many ties: values quantised to a few levels, plateaus, some exact zeros. */
  private static float[] randomHeat(Random rnd, int n, boolean logits, int levels) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      double u = rnd.nextDouble();
      float v;
      if (levels > 0) {
        v = (float) (Math.floor(u * levels) / levels);
      } else {
        v = (float) (u * u * u * 0.3);
        if (rnd.nextInt(50) == 0) {
          v = 0.5f + rnd.nextFloat() * 0.5f;
        }
      }
      a[i] = logits ? (float) ((v - 0.5) * 12) : v;
    }
    return a;
  }

  private static float[] toNhwc(float[] nchw, int b, int c, int h, int w) {
    float[] out = new float[nchw.length];
    for (int n = 0; n < b; n++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            out[((n * h + y) * w + x) * c + ch] = nchw[((n * c + ch) * h + y) * w + x];
          }
        }
      }
    }
    return out;
  }

  /** Heap array, direct buffer (ND4J / ONNX Runtime), or a heap buffer whose position is not 0. */
  private static HeadView storage(int kind, float[] data, long[] shape, Layout layout) {
    if (kind == 0) {
      return HeadView.of("hm", data, shape, layout);
    }
    if (kind == 1) {
      java.nio.FloatBuffer direct = java.nio.ByteBuffer.allocateDirect(data.length * 4)
          .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
      direct.put(data).flip();
      return HeadView.of("hm", direct, shape, layout);
    }
    float[] padded = new float[data.length + 7];
    System.arraycopy(data, 0, padded, 7, data.length);
    java.nio.FloatBuffer shifted = java.nio.FloatBuffer.wrap(padded);
    shifted.position(7);
    return HeadView.of("hm", shifted.slice(), shape, layout);
  }

  @Test
  void equalsBruteForceOnManyRandomHeads() {
    Random rnd = new Random(20240611);
    int cases = 0;
    for (int trial = 0; trial < 400; trial++) {
      int b = 1 + rnd.nextInt(2);
      int c = 1 + rnd.nextInt(6);
      int h = 1 + rnd.nextInt(12);
      int w = 1 + rnd.nextInt(12);
      int kernel = new int[] {1, 3, 5}[rnd.nextInt(3)];
      boolean logits = rnd.nextInt(3) == 0;
      int levels = new int[] {0, 2, 4, 16}[rnd.nextInt(4)];
      int k = 1 + rnd.nextInt(h * w);
      float[] raw = randomHeat(rnd, b * c * h * w, logits, levels);
      Activation act = logits ? Activation.LOGITS : Activation.PROBABILITIES;
      for (Layout layout : Layout.values()) {
        long[] shape = layout == Layout.NCHW ? new long[] {b, c, h, w} : new long[] {b, h, w, c};
        float[] data = layout == Layout.NCHW ? raw : toNhwc(raw, b, c, h, w);
        HeadView view = storage(trial % 3, data, shape, layout);
        for (int n = 0; n < b; n++) {
          float[] image = new float[c * h * w];
          for (int i = 0; i < image.length; i++) {
            image[i] = act.apply(raw[n * c * h * w + i]);
          }
          List<Entry> expected = bruteForce(image, c, h, w, k, kernel, layout);
          Peaks peaks = PeakTopK.select(view, n, k, kernel, act);
          String what = "trial " + trial + " " + layout + " b" + n + " c" + c + " h" + h + " w" + w + " k" + k
              + " kernel " + kernel + " " + act + " levels " + levels;
          assertThat(peaks.count()).as(what).isEqualTo(k);
          for (int i = 0; i < k; i++) {
            Entry e = expected.get(i);
            if (peaks.scores()[i] != e.score || peaks.classes()[i] != e.c || peaks.ys()[i] != e.y
                || peaks.xs()[i] != e.x) {
              throw new AssertionError(what + ": entry " + i + " expected " + e + ", got score "
                  + peaks.scores()[i] + " c " + peaks.classes()[i] + " y " + peaks.ys()[i] + " x " + peaks.xs()[i]);
            }
          }
          cases++;
        }
      }
    }
    assertThat(cases).isGreaterThan(800);
  }

  @Test
  void realisticSizeMatchesBruteForce() {
    Random rnd = new Random(3);
    int c = 20;
    int h = 64;
    int w = 48;
    float[] raw = randomHeat(rnd, c * h * w, false, 0);
    for (Layout layout : Layout.values()) {
      long[] shape = layout == Layout.NCHW ? new long[] {1, c, h, w} : new long[] {1, h, w, c};
      float[] data = layout == Layout.NCHW ? raw : toNhwc(raw, 1, c, h, w);
      Peaks peaks = PeakTopK.select(HeadView.of("hm", data, shape, layout), 0, 100, 3, Activation.PROBABILITIES);
      List<Entry> expected = bruteForce(raw, c, h, w, 100, 3, layout);
      for (int i = 0; i < 100; i++) {
        assertThat(peaks.scores()[i]).isEqualTo(expected.get(i).score);
        assertThat(new int[] {peaks.classes()[i], peaks.ys()[i], peaks.xs()[i]})
            .containsExactly(expected.get(i).c, expected.get(i).y, expected.get(i).x);
      }
    }
  }
}
