package io.github.keydet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The LOGITS path of {@link FocalLoss} (see {@link LogitFocalKernel}) against plain double-precision Math. */
class FocalLossLogitsTest {
  private static final double EPS = FocalLoss.SIGMOID_EPS;

  /** -(term) of one cell with Math.exp / Math.log1p, the sigmoid clamped to [eps, 1 - eps]; 0 for ignored cells. */
  static double referenceCell(double x, double g) {
    double p = 1 / (1 + Math.exp(-x));
    double q = 1 / (1 + Math.exp(x));
    double logP = -Math.log1p(Math.exp(-x));
    double logQ = -Math.log1p(Math.exp(x));
    if (p < EPS) {
      p = EPS;
      q = 1 - EPS;
      logP = Math.log(EPS);
      logQ = Math.log1p(-EPS);
    } else if (q < EPS) {
      q = EPS;
      p = 1 - EPS;
      logQ = Math.log(EPS);
      logP = Math.log1p(-EPS);
    }
    if (g == 1) {
      return -logP * q * q;
    }
    return g < 1 ? -logQ * p * p * Math.pow(1 - g, 4) : 0;
  }

  /** The loss from {@link #referenceCell}, summed with Kahan compensation (a plain running sum drifts by ~1e-12). */
  static double reference(float[] x, float[] g) {
    double sum = 0;
    double lost = 0;
    long numPos = 0;
    for (int i = 0; i < x.length; i++) {
      double y = referenceCell(x[i], g[i]) - lost;
      double s = sum + y;
      lost = (s - sum) - y;
      sum = s;
      numPos += g[i] == 1f ? 1 : 0;
    }
    return numPos == 0 ? sum : sum / numPos;
  }

  static double loss(float[] x, float[] g) {
    return FocalLoss.compute(Nd4j.createFromArray(x), Nd4j.createFromArray(g), HeatmapInput.LOGITS);
  }

  static double cell(float x, float g) {
    LogitFocalKernel k = new LogitFocalKernel();
    k.accept(new float[] {x}, new float[] {g}, 1);
    return k.sum();
  }

  @Test
  void everyCellMatchesTheDoubleReference() {
    List<Float> xs = new ArrayList<>();
    for (int i = -16_000; i <= 16_000; i++) {
      xs.add(i / 1000f);
    }
    double x0 = Math.log1p(-EPS) - Math.log(EPS);
    for (float v : new float[] {(float) x0, (float) -x0, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, -1e-30f,
        1e-8f, -1e-8f, 40f, -40f, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY}) {
      xs.add(v);
      xs.add(Math.nextUp(v));
      xs.add(Math.nextDown(v));
    }
    double worst = 0;
    for (float x : xs) {
      for (float g : new float[] {0f, 0.25f, 0.999f, Math.nextDown(1f), 1f}) {
        double e = referenceCell(x, g);
        double a = cell(x, g);
        assertThat(a).as("x %s g %s", x, g).isCloseTo(e, within(1e-12 * e));
        worst = Math.max(worst, Math.abs(a - e) / e);
      }
    }
    assertThat(worst).isLessThan(1e-13);
  }

  @Test
  void gaussianHeatmapsWithRealisticAndExtremeLogitsMatchTheDoubleReference() {
    Random r = new Random(5);
    int planes = 12;
    int hw = 96;
    int n = planes * hw * hw + 77; // not a multiple of the block
    float[] g = new float[n];
    for (int k = 0; k < 60; k++) {
      int plane = r.nextInt(planes);
      int cx = r.nextInt(hw);
      int cy = r.nextInt(hw);
      double sigma = 0.7 + r.nextDouble() * 8;
      int rad = (int) (3 * sigma);
      for (int y = Math.max(0, cy - rad); y <= Math.min(hw - 1, cy + rad); y++) {
        for (int x = Math.max(0, cx - rad); x <= Math.min(hw - 1, cx + rad); x++) {
          int i = plane * hw * hw + y * hw + x;
          double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
          g[i] = Math.max(g[i], (float) Math.exp(-d2 / (2 * sigma * sigma)));
        }
      }
    }
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (-12 + 18 * r.nextDouble());
      if (r.nextInt(100) == 0) {
        x[i] = new float[] {30f, -30f, 1e20f, -1e20f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}[r.nextInt(6)];
      }
    }
    double e = reference(x, g);
    assertThat(loss(x, g)).isCloseTo(e, within(1e-12 * e));
    // the same without any positive: the plain negative sum
    for (int i = 0; i < n; i++) {
      g[i] = Math.min(g[i], 0.9f);
    }
    double e0 = reference(x, g);
    assertThat(loss(x, g)).isCloseTo(e0, within(1e-12 * e0));
  }

  @Test
  void targetsAboveOneAreIgnoredAndOnlyExactOnesArePositives() {
    float[] g = {1f, Math.nextDown(1f), Math.nextUp(1f), 2f, Float.POSITIVE_INFINITY, 0f, 1f, -0.5f};
    float[] x = {0.3f, -2f, 5f, -7f, 1f, -1f, 9.5f, -3f};
    // two positives: the loss is the sum over the six counted cells divided by 2
    double e = reference(x, g);
    assertThat(loss(x, g)).isCloseTo(e, within(1e-14 * e));
    assertThat(cell(5f, Math.nextUp(1f))).isZero();
    assertThat(cell(5f, Float.POSITIVE_INFINITY)).isZero();
  }

  @Test
  void clampedLogitsCostTheClampedConstants() {
    double big = -Math.log(EPS) * (1 - EPS) * (1 - EPS);
    double small = -Math.log1p(-EPS) * EPS * EPS;
    for (float x : new float[] {12f, 1e6f, Float.POSITIVE_INFINITY}) {
      assertThat(cell(x, 0f)).isCloseTo(big, within(1e-14 * big));
      assertThat(cell(x, 1f)).isCloseTo(small, within(1e-13 * small));
      assertThat(cell(-x, 1f)).isCloseTo(big, within(1e-14 * big));
      assertThat(cell(-x, 0f)).isCloseTo(small, within(1e-13 * small));
    }
  }

  @Test
  void nanIsRejectedWithItsIndexTargetFirst() {
    float[] x = new float[1500];
    float[] g = new float[1500];
    g[3] = 2f; // ignored cell: its prediction must still be a number
    x[3] = Float.NaN;
    assertThatThrownBy(() -> loss(x, g)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'prediction' has NaN at flat index 3");
    g[1200] = Float.NaN;
    assertThatThrownBy(() -> loss(x, g)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("target has NaN at flat index 1200");
    x[3] = 0f;
    assertThatThrownBy(() -> loss(x, g)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("target has NaN at flat index 1200");
  }
}
