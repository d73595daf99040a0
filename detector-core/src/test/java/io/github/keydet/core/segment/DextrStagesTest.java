package io.github.keydet.core.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.InstanceMask;
import io.github.keydet.api.Keypoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused DEXTR stages against the plain ones they replace: {@code prepare} with a mirror offset against
 * {@code prepare} then a plain left-right mirror ({@link #mirror}); the heat channel against {@code make_gt} +
 * {@code cstm_normalize} computed here over the whole plane without any cut-off; {@link DextrPostprocessor#mask}
 * against {@code threshold(pasteBack(probabilities(...)))}. Random images, points (on borders too) and logits.
 */
class DextrStagesTest {
  private static final double C = -4 * Math.log(2);

  private static List<Keypoint> randomPoints(Random rnd, int w, int h) {
    List<Keypoint> p = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      float x = rnd.nextInt(5) == 0 ? (rnd.nextBoolean() ? 0 : w - 0.5f) : rnd.nextFloat() * w * 0.999f;
      float y = rnd.nextInt(5) == 0 ? (rnd.nextBoolean() ? 0 : h - 0.5f) : rnd.nextFloat() * h * 0.999f;
      p.add(new Keypoint(x, y, 1f));
    }
    return p;
  }

  @Test
  void preparedMirrorEqualsMirrorOfPrepared() {
    Random rnd = new Random(3);
    for (int trial = 0; trial < 24; trial++) {
      DextrSettings s = new DextrSettings(rnd.nextInt(30), 16 + rnd.nextInt(100), 2 + rnd.nextInt(12), 0.8, true);
      DextrPreprocessor pre = new DextrPreprocessor(s);
      int w = 1 + rnd.nextInt(120);
      int h = 1 + rnd.nextInt(120);
      byte[] rgb = new byte[w * h * 3];
      if (trial % 4 == 0) {
        for (int i = 0; i < rgb.length; i++) {
          rgb[i] = (byte) rnd.nextInt(2); // all 0/1: the nearest-neighbour path
        }
      } else {
        rnd.nextBytes(rgb);
      }
      List<Keypoint> pts = randomPoints(rnd, w, h);
      int len = pre.inputLength();
      float[] plain = new float[2 * len];
      DextrCrop a = pre.prepare(rgb, w, h, pts, plain, 0);
      mirror(plain, 0, plain, len, 4, s.size());
      float[] fused = new float[2 * len + 5];
      java.util.Arrays.fill(fused, Float.NaN);
      DextrCrop b = pre.prepare(rgb, w, h, pts, fused, 5, 5 + len);
      CubicResizeTest.same(java.util.Arrays.copyOfRange(fused, 5, 5 + 2 * len), plain, "trial " + trial);
      assertThat(b).usingRecursiveComparison().isEqualTo(a);
    }
  }

  @Test
  void heatEqualsMakeGtOverTheWholePlane() {
    Random rnd = new Random(8);
    // (size, sigma): the plane left partly at 0 (the usual case), and covered by the points' squares entirely
    int[][] settings = {{512, 10}, {64, 10}, {8, 10}, {16, 3}, {40, 25}};
    for (int[] st : settings) {
      for (int trial = 0; trial < 6; trial++) {
        DextrSettings s = new DextrSettings(50, st[0], st[1], 0.8, false);
        DextrPreprocessor pre = new DextrPreprocessor(s);
        int w = 50 + rnd.nextInt(300);
        int h = 50 + rnd.nextInt(300);
        byte[] rgb = new byte[w * h * 3];
        rnd.nextBytes(rgb);
        float[] x = new float[pre.inputLength()];
        DextrCrop crop = pre.prepare(rgb, w, h, randomPoints(rnd, w, h), x, 0);
        int n = s.size();
        float[] expected = makeGt(crop.points(), n, s.sigma());
        CubicResizeTest.same(java.util.Arrays.copyOfRange(x, 3 * n * n, 4 * n * n), expected,
            "heat, size " + n + " sigma " + s.sigma());
      }
    }
  }

  /** make_gt (max of the points' float64 Gaussians, cast to float32) then cstm_normalize(..., 255), per pixel. */
  private static float[] makeGt(int[] q, int n, double sigma) {
    float[] g = new float[n * n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        float v = 0f;
        for (int i = 0; i < 4; i++) {
          double dx = x - q[2 * i];
          double dy = y - q[2 * i + 1];
          v = Math.max(v, (float) Math.exp(C * (dx * dx + dy * dy) / (sigma * sigma)));
        }
        g[y * n + x] = v;
      }
    }
    float mn = Float.POSITIVE_INFINITY;
    float mx = Float.NEGATIVE_INFINITY;
    for (float v : g) {
      mn = Math.min(mn, v);
      mx = Math.max(mx, v);
    }
    float den = Math.max(mx - mn, 1e-8f);
    for (int i = 0; i < g.length; i++) {
      g[i] = 255f * (g[i] - mn) / den;
    }
    return g;
  }

  @Test
  void maskEqualsThresholdOfPastedProbabilities() {
    Random rnd = new Random(21);
    int compared = 0;
    for (int trial = 0; trial < 80; trial++) {
      int n = trial < 10 ? 512 : 16 + rnd.nextInt(90);
      int relax = rnd.nextInt(60);
      double threshold = new double[] {0.8, 0.5, 0.05, 0.95}[trial % 4];
      DextrSettings s = new DextrSettings(relax, n, 10, threshold, trial % 3 != 0);
      DextrPostprocessor post = new DextrPostprocessor(s);
      int w = 1 + rnd.nextInt(trial % 5 == 0 ? 8 : 700);
      int h = 1 + rnd.nextInt(trial % 7 == 0 ? 8 : 700);
      int x1 = rnd.nextInt(w) - relax;
      int y1 = rnd.nextInt(h) - relax;
      int x2 = x1 + 2 * relax + rnd.nextInt(Math.max(1, w - x1 - relax));
      int y2 = y1 + 2 * relax + rnd.nextInt(Math.max(1, h - y1 - relax));
      DextrCrop crop = new DextrCrop(w, h, x1, y1, x2, y2, relax, new int[8]);
      float[] logits = new float[3 + 2 * n * n];
      double cx = n * rnd.nextDouble();
      double cy = n * rnd.nextDouble();
      // soft blobs with much noise (most mask tiles computed) and steep ones as a trained network gives (most
      // tiles decided by the bounds, some exactly at the threshold's edge)
      double steep = trial % 2 == 0 ? 6 : 20 + 10 * rnd.nextDouble();
      double noise = trial % 2 == 0 ? 1 : 0.2;
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          double d = Math.hypot(x - cx, y - cy) / (n / 3.0);
          logits[3 + y * n + x] = (float) (steep * (1 - d) + noise * rnd.nextGaussian());
          logits[3 + n * n + y * n + x] = (float) (steep * (1 - d) + noise * rnd.nextGaussian());
        }
      }
      if (trial == 7) {
        logits[3 + n * n / 2 + n / 2] = Float.NaN; // a NaN logit: its tile is computed, NaN is never above
      }
      float[] flipped = s.flipTest() ? logits : null;
      InstanceMask plain = post.threshold(post.pasteBack(post.probabilities(logits, 3, flipped, 3 + n * n), crop));
      InstanceMask fused = post.mask(logits, 3, flipped, 3 + n * n, crop);
      assertThat(fused).as("trial %d: %s", trial, crop).isEqualTo(plain);
      compared += plain.area() > 0 ? 1 : 0;
    }
    assertThat(compared).as("cases with a non-empty mask").isGreaterThan(40);
  }

  @Test
  void cubicOvershootAtAStepIsNotDecidedAway() {
    // probabilities 0 | 0.79 and 0.81 | 1 in two halves: the cubic resize overshoots the step, above 0.8 beside the
    // 0.79 side and below it beside the 0.81 side, though no source probability crosses the threshold
    int n = 64;
    DextrSettings s = new DextrSettings(0, n, 10, 0.8, false);
    DextrPostprocessor post = new DextrPostprocessor(s);
    DextrCrop crop = new DextrCrop(300, 200, 0, 0, 299, 199, 0, new int[8]);
    float[][] sides = {{-30f, logit(0.79)}, {logit(0.81), 30f}};
    for (float[] side : sides) {
      float[] logits = new float[n * n];
      for (int i = 0; i < logits.length; i++) {
        logits[i] = i % n < n / 2 ? side[0] : side[1];
      }
      InstanceMask plain = post.threshold(post.pasteBack(post.probabilities(logits, 0, null, 0), crop));
      assertThat(plain.area()).as("the overshoot crosses the threshold").isStrictlyBetween(0L, 300L * 200);
      assertThat(side == sides[0] ? plain.area() < 300L * 100 : plain.area() > 300L * 100).isTrue();
      assertThat(post.mask(logits, 0, null, 0, crop)).isEqualTo(plain);
    }
  }

  private static float logit(double p) {
    return (float) Math.log(p / (1 - p));
  }

  /** One input {@code [c, size, size]} mirrored left to right ({@code inputs[:, :, :, ::-1]}), the plain way. */
  static void mirror(float[] src, int srcOffset, float[] dst, int dstOffset, int channels, int size) {
    for (int row = 0; row < channels * size; row++) {
      int a = srcOffset + row * size;
      int b = dstOffset + row * size;
      for (int x = 0; x < size; x++) {
        dst[b + x] = src[a + size - 1 - x];
      }
    }
  }
}
