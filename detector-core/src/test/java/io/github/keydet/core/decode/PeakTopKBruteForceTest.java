package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;

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

  /**
   * Logits whose float sigmoids collide: saturated ones (sigmoid 1 or 0), logits closer than the sigmoid's float
   * resolution, and equal ones. The raw-logit window test must treat them as the sigmoid-then-maxpool does.
   */
  private static float[] collidingLogits(Random rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      switch (rnd.nextInt(7)) {
        case 0 -> a[i] = 16f + rnd.nextFloat() * 30f; // sigmoid rounds to 1 (or a few values below)
        case 1 -> a[i] = -90f - rnd.nextFloat() * 30f; // subnormal or 0
        case 2 -> a[i] = rnd.nextFloat() * 1e-6f; // near 0: many logits share one sigmoid
        case 3 -> {
          float base = (rnd.nextFloat() - 0.5f) * 20f;
          for (int u = rnd.nextInt(40); u > 0; u--) {
            base = Math.nextUp(base);
          }
          a[i] = base;
        }
        case 4 -> a[i] = 2f; // plateaus
        case 5 -> a[i] = 8f + rnd.nextInt(3) * 1e-5f;
        default -> a[i] = (float) rnd.nextGaussian() * 6f;
      }
    }
    return a;
  }

  @Test
  void logitsWithCollidingSigmoidsMatchBruteForce() {
    Random rnd = new Random(77);
    for (int trial = 0; trial < 300; trial++) {
      int c = 1 + rnd.nextInt(4);
      int h = 1 + rnd.nextInt(10);
      int w = 1 + rnd.nextInt(10);
      int kernel = new int[] {3, 5}[rnd.nextInt(2)];
      int k = 1 + rnd.nextInt(h * w);
      float[] raw = collidingLogits(rnd, c * h * w);
      float[] act = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        act[i] = Activation.sigmoid(raw[i]);
      }
      for (Layout layout : Layout.values()) {
        long[] shape = layout == Layout.NCHW ? new long[] {1, c, h, w} : new long[] {1, h, w, c};
        float[] data = layout == Layout.NCHW ? raw : toNhwc(raw, 1, c, h, w);
        Peaks peaks = PeakTopK.select(storage(trial % 3, data, shape, layout), 0, k, kernel, Activation.LOGITS);
        assertEquals(bruteForce(act, c, h, w, k, kernel, layout), peaks, "trial " + trial + " " + layout);
      }
    }
  }

  @Test
  void realisticCornerLogitsMatchBruteForce() {
    // background logits around -6 with a few bumps, as CornerNet heads look, and a map with no noise at all
    Random rnd = new Random(5);
    int c = 10;
    int h = 48;
    int w = 40;
    for (boolean noise : new boolean[] {true, false}) {
      float[] raw = new float[c * h * w];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = noise ? -6f + (float) rnd.nextGaussian() : -6f;
      }
      for (int o = 0; o < 12; o++) {
        int ch = rnd.nextInt(c);
        int cy = 1 + rnd.nextInt(h - 2);
        int cx = 1 + rnd.nextInt(w - 2);
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            raw[(ch * h + cy + dy) * w + cx + dx] = 2f - 1.5f * Math.max(Math.abs(dx), Math.abs(dy));
          }
        }
      }
      float[] act = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        act[i] = Activation.sigmoid(raw[i]);
      }
      for (Layout layout : Layout.values()) {
        long[] shape = layout == Layout.NCHW ? new long[] {1, c, h, w} : new long[] {1, h, w, c};
        float[] data = layout == Layout.NCHW ? raw : toNhwc(raw, 1, c, h, w);
        Peaks peaks = PeakTopK.select(HeadView.of("hm", data, shape, layout), 0, 100, 3, Activation.LOGITS);
        assertEquals(bruteForce(act, c, h, w, 100, 3, layout), peaks, "noise " + noise + " " + layout);
      }
    }
  }

  /**
   * {@link PeakTopK#selectChannel} equals the brute force on the channel alone (floor -inf), and with a floor
   * equals the entries of that brute force above the floor.
   */
  @Test
  void selectChannelMatchesBruteForceOfTheChannel() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      int b = 1 + rnd.nextInt(2);
      int c = 1 + rnd.nextInt(5);
      int h = 1 + rnd.nextInt(12);
      int w = 1 + rnd.nextInt(12);
      int kernel = new int[] {1, 3, 5}[rnd.nextInt(3)];
      boolean logits = rnd.nextBoolean();
      int levels = new int[] {0, 2, 4, 16}[rnd.nextInt(4)];
      int k = 1 + rnd.nextInt(h * w);
      float[] raw = trial % 4 == 3 && logits ? collidingLogits(rnd, b * c * h * w) : randomHeat(rnd, b * c * h * w, logits, levels);
      Activation act = logits ? Activation.LOGITS : Activation.PROBABILITIES;
      float floor = rnd.nextBoolean() ? Float.NEGATIVE_INFINITY : new float[] {0f, 0.1f, 0.5f, 1f}[rnd.nextInt(4)];
      for (Layout layout : Layout.values()) {
        long[] shape = layout == Layout.NCHW ? new long[] {b, c, h, w} : new long[] {b, h, w, c};
        float[] data = layout == Layout.NCHW ? raw : toNhwc(raw, b, c, h, w);
        HeadView view = storage(trial % 3, data, shape, layout);
        for (int n = 0; n < b; n++) {
          for (int ch = 0; ch < c; ch++) {
            float[] plane = new float[h * w];
            for (int i = 0; i < plane.length; i++) {
              plane[i] = act.apply(raw[(n * c + ch) * h * w + i]);
            }
            List<Entry> all = bruteForce(plane, 1, h, w, k, kernel, Layout.NCHW);
            List<Entry> expected = new ArrayList<>();
            for (Entry e : all) {
              if (floor == Float.NEGATIVE_INFINITY || act.apply(raw[(n * c + ch) * h * w + e.y * w + e.x]) > floor) {
                expected.add(new Entry(e.score, ch, e.y, e.x, e.order));
              }
            }
            Peaks peaks = PeakTopK.selectChannel(view, n, ch, k, kernel, act, floor);
            String what = "trial " + trial + " " + layout + " n" + n + " c" + ch + " k" + k + " kernel " + kernel
                + " " + act + " floor " + floor;
            // a scratch plane (bulk copy of a direct buffer's channel) gives the same peaks
            Peaks viaScratch = PeakTopK.selectChannel(view, n, ch, k, kernel, act, floor,
                new float[h * w + rnd.nextInt(3)]);
            assertThat(viaScratch.count()).as(what + " scratch").isEqualTo(peaks.count());
            for (int i = 0; i < peaks.count(); i++) {
              assertThat(viaScratch.scores()[i]).as(what + " scratch").isEqualTo(peaks.scores()[i]);
              assertThat(viaScratch.ys()[i] * w + viaScratch.xs()[i]).as(what + " scratch")
                  .isEqualTo(peaks.ys()[i] * w + peaks.xs()[i]);
            }
            if (floor == Float.NEGATIVE_INFINITY) {
              assertEquals(expected, peaks, what);
            } else {
              // above the floor, the full top K's entries; fewer when the top K reaches below the floor; a
              // floor of 0 or more leaves out the suppressed pixels (0 after the NMS) too
              assertThat(peaks.count()).as(what).isLessThanOrEqualTo(k);
              for (int i = 0; i < peaks.count(); i++) {
                assertThat(peaks.scores()[i]).as(what + " entry " + i).isGreaterThan(floor);
              }
              long validExpected = expected.stream().filter(e -> e.score > floor).count();
              long valid = 0;
              for (int i = 0; i < peaks.count(); i++) {
                valid += peaks.scores()[i] > floor ? 1 : 0;
              }
              assertThat(valid).as(what).isEqualTo(validExpected);
              for (int i = 0; i < peaks.count() && i < expected.size(); i++) {
                Entry e = expected.get(i);
                if (e.score > floor || peaks.scores()[i] > floor) {
                  assertEntry(e, peaks, i, what);
                }
              }
            }
          }
        }
      }
    }
  }

  private static void assertEquals(List<Entry> expected, Peaks peaks, String what) {
    assertThat(peaks.count()).as(what).isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEntry(expected.get(i), peaks, i, what);
    }
  }

  private static void assertEntry(Entry e, Peaks peaks, int i, String what) {
    if (Float.floatToIntBits(peaks.scores()[i]) != Float.floatToIntBits(e.score) || peaks.classes()[i] != e.c
        || peaks.ys()[i] != e.y || peaks.xs()[i] != e.x) {
      throw new AssertionError(what + ": entry " + i + " expected " + e + ", got score " + peaks.scores()[i]
          + " c " + peaks.classes()[i] + " y " + peaks.ys()[i] + " x " + peaks.xs()[i]);
    }
  }

  /** The shortcut of the raw-logit window test never claims distinct sigmoids that are equal. */
  @Test
  void distinctGapNeverClaimsEqualSigmoidsDistinct() {
    Random rnd = new Random(9);
    int claimed = 0;
    for (int i = 0; i < 2_000_000; i++) {
      float a = (float) ((rnd.nextDouble() - 0.5) * 70);
      float b = Math.nextUp(a);
      for (int u = rnd.nextInt(4000); u > 0; u--) {
        b = Math.nextUp(b);
      }
      if (rnd.nextInt(4) == 0) {
        b = a + rnd.nextFloat() * 0.01f;
      }
      if (b > a && PeakTopK.distinctGap(a, b)) {
        claimed++;
        if (!(Activation.sigmoid(a) < Activation.sigmoid(b))) {
          throw new AssertionError("a " + a + " b " + b);
        }
      }
    }
    assertThat(claimed).isGreaterThan(100_000);
  }
}
