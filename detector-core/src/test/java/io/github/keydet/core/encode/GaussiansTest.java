package io.github.keydet.core.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import org.junit.jupiter.api.Test;

class GaussiansTest {

  @Test
  void radiusRulesMatchTheNumpyPortOfBothFormulas() {
    for (JsonNode c : TestData.cases().get("radius")) {
      double h = c.get("h").asDouble();
      double w = c.get("w").asDouble();
      assertThat(RadiusRule.PLUS_ROOT_OVER_TWO.radius(h, w, 0.7))
          .as("plus root h=%s w=%s", h, w).isCloseTo(c.get("plus_root_over_two").asDouble(), within(1e-12));
      assertThat(RadiusRule.SMALLEST_ROOT.radius(h, w, 0.7))
          .as("smallest h=%s w=%s", h, w).isCloseTo(c.get("smallest_root").asDouble(), within(1e-12));
      assertThat(RadiusRule.SMALLEST_ROOT.radius(h, w, 0.3))
          .isCloseTo(c.get("smallest_root_03").asDouble(), within(1e-12));
    }
  }

  @Test
  void radiusByHand() {
    // 10x10 box, overlap 0.7. Case 1: b = 20, c = 100 * 0.3 / 1.7, sq = sqrt(400 - 4c)
    double c1 = 100 * 0.3 / 1.7;
    double sq1 = Math.sqrt(400 - 4 * c1);
    // case 2: b = 40, c = 30, a = 4: sq = sqrt(1600 - 480); case 3: a = 2.8, b = -28, c = -30: sq = sqrt(784 + 336)
    double sq2 = Math.sqrt(1600 - 480);
    double sq3 = Math.sqrt(784 + 336);
    double smallest = Math.min((20 - sq1) / 2, Math.min((40 - sq2) / 8, (-28 + sq3) / 5.6));
    double plus = Math.min((20 + sq1) / 2, Math.min((40 + sq2) / 2, (-28 + sq3) / 2));
    assertThat(RadiusRule.SMALLEST_ROOT.radius(10, 10, 0.7)).isCloseTo(smallest, within(1e-12));
    assertThat(RadiusRule.PLUS_ROOT_OVER_TWO.radius(10, 10, 0.7)).isCloseTo(plus, within(1e-12));
    assertThat(plus).isCloseTo((Math.sqrt(1120) - 28) / 2, within(1e-12)); // the third case wins, ~2.733
    assertThat(RadiusRule.PLUS_ROOT_OVER_TWO.intRadius(10, 10, 0.7)).isEqualTo(2);
    assertThat(RadiusRule.SMALLEST_ROOT.intRadius(10, 10, 0.7)).isEqualTo(0);
    assertThat(RadiusRule.SMALLEST_ROOT.intRadius(0, 0, 0.7)).isEqualTo(0);
  }

  @Test
  void radiusRejectsBadSizesAndOverlap() {
    assertThatThrownBy(() -> RadiusRule.SMALLEST_ROOT.radius(-1, 3, 0.7))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("height=-1.0");
    assertThatThrownBy(() -> RadiusRule.SMALLEST_ROOT.radius(Double.NaN, 3, 0.7))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> RadiusRule.SMALLEST_ROOT.radius(3, 3, 1.5))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("minOverlap");
    assertThatThrownBy(() -> RadiusRule.PLUS_ROOT_OVER_TWO.radius(3, 3, 0))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("minOverlap");
    // overlap 1 (Enhanced-CenterNet's landmark heat maps): every formula gives radius 0
    assertThat(RadiusRule.PLUS_ROOT_OVER_TWO.radius(12, 7, 1.0)).isZero();
    assertThat(RadiusRule.SMALLEST_ROOT.radius(12, 7, 1.0)).isZero();
  }

  @Test
  void umichKernelByHand() {
    double[] k0 = Gaussians.umichKernel(0, 6);
    assertThat(k0).containsExactly(1.0);
    // r = 1: diameter 3, sigma 0.5, 2 sigma^2 = 0.5
    double[] k1 = Gaussians.umichKernel(1, 6);
    assertThat(k1[4]).isEqualTo(1.0);
    assertThat(k1[1]).isCloseTo(Math.exp(-2), within(1e-15));
    assertThat(k1[0]).isCloseTo(Math.exp(-4), within(1e-15));
  }

  @Test
  void umichTailBelowEpsIsZeroed() {
    // r = 20: diameter 41, sigma 41/6; the corner value exp(-800 / (2 * (41/6)^2)) ~ 1.9e-4 stays
    double[] k = Gaussians.umichKernel(20, 6);
    assertThat(k[0]).isGreaterThan(0);
    // divisor 60 makes the tails vanish below eps * max
    double[] narrow = Gaussians.umichKernel(20, 60);
    assertThat(narrow[0]).isEqualTo(0.0);
    assertThat(narrow[20 * 41 + 20]).isEqualTo(1.0);
  }

  @Test
  void drawsMatchTheReference() {
    for (JsonNode d : TestData.cases().get("draws")) {
      String kind = d.get("kind").asText();
      float[] hm = new float[9 * 11];
      float[] reg = null;
      switch (kind) {
        case "umich" -> Gaussians.drawUmich(hm, 9, 11, d.get("cx").asInt(), d.get("cy").asInt(), d.get("r").asInt());
        case "msra" -> Gaussians.drawMsra(hm, 9, 11, TestData.f(d.get("cx")), TestData.f(d.get("cy")),
            d.get("sigma").asDouble());
        case "umich_overlap" -> {
          Gaussians.drawUmich(hm, 9, 11, 3, 3, 2);
          Gaussians.drawUmich(hm, 9, 11, 5, 4, 3);
        }
        case "dense_offset" -> {
          Gaussians.drawUmich(hm, 9, 11, 6, 5, 1);
          reg = new float[2 * 9 * 11];
          Gaussians.drawDenseReg(java.nio.FloatBuffer.wrap(reg), 0, java.nio.FloatBuffer.wrap(hm), 0, 9, 11, 4, 4,
              new float[] {1.5f, -2.25f}, 2, true);
        }
        default -> throw new IllegalStateException(kind);
      }
      float[] expected = TestData.floats(d.get(kind.equals("dense_offset") ? "heat" : "hm"));
      for (int i = 0; i < hm.length; i++) {
        assertThat(hm[i]).as("%s %s index %d", kind, d, i).isCloseTo(expected[i], within(2e-7f));
      }
      if (reg != null) {
        float[] er = TestData.floats(d.get("reg"));
        for (int i = 0; i < reg.length; i++) {
          assertThat(reg[i]).as("dense reg index %d", i).isEqualTo(er[i]);
        }
      }
    }
  }

  @Test
  void centerOnTheBorderIsCutAndOutsideDrawsNothing() {
    float[] hm = new float[5 * 5];
    Gaussians.drawUmich(hm, 5, 5, 0, 4, 1);
    assertThat(hm[4 * 5]).isEqualTo(1f);
    assertThat(hm[3 * 5 + 1]).isCloseTo((float) Math.exp(-4), within(1e-7f));
    float[] empty = new float[5 * 5];
    Gaussians.drawUmich(empty, 5, 5, 5, 2, 2);
    Gaussians.drawUmich(empty, 5, 5, -1, 2, 2);
    Gaussians.drawMsra(empty, 5, 5, 30f, 2f, 1);
    assertThat(empty).isEqualTo(new float[25]);
  }

  @Test
  void mergeIsElementwiseMaximum() {
    float[] hm = new float[7 * 7];
    hm[3 * 7 + 4] = 0.99f;
    Gaussians.drawUmich(hm, 7, 7, 3, 3, 1);
    assertThat(hm[3 * 7 + 4]).isEqualTo(0.99f); // larger than exp(-2)
    assertThat(hm[3 * 7 + 3]).isEqualTo(1f);
  }
}
