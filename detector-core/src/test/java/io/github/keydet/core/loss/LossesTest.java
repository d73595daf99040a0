package io.github.keydet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.encode.CtdetTargetEncoder;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetSet;
import io.github.keydet.core.encode.TestData;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LossesTest {
  static JsonNode expected() {
    return TestData.cases().get("losses");
  }

  static INDArray npy(String name) {
    return TestData.npy("loss", name);
  }

  static void close(double actual, String key) {
    double e = expected().get(key).asDouble();
    assertThat(actual).as(key).isCloseTo(e, within(1e-6 * Math.max(1, Math.abs(e))));
  }

  @Test
  void focalLossMatchesReference() {
    close(FocalLoss.compute(npy("logits"), npy("gt"), HeatmapInput.LOGITS), "focal_logits");
    close(FocalLoss.compute(npy("probs"), npy("gt"), HeatmapInput.PROBABILITIES), "focal_probs");
    close(FocalLoss.compute(npy("probs"), npy("gt_no_pos"), HeatmapInput.PROBABILITIES), "focal_no_pos");
  }

  @Test
  void focalLossByHand() {
    // one positive predicted 0.5, one negative with gt 0.5 predicted 0.25
    INDArray pred = Nd4j.createFromArray(new float[] {0.5f, 0.25f});
    INDArray gt = Nd4j.createFromArray(new float[] {1f, 0.5f});
    double pos = Math.log(0.5) * 0.25;
    double neg = Math.log(0.75) * 0.0625 * Math.pow(0.5, 4);
    assertThat(FocalLoss.compute(pred, gt, HeatmapInput.PROBABILITIES)).isCloseTo(-(pos + neg), within(1e-12));
    // no positive: the plain negative sum, not normalised
    INDArray gt0 = Nd4j.createFromArray(new float[] {0f, 0.5f});
    double neg0 = Math.log(0.5) * 0.25 + neg;
    assertThat(FocalLoss.compute(pred, gt0, HeatmapInput.PROBABILITIES)).isCloseTo(-neg0, within(1e-12));
    // all-zero prediction and target: 0
    assertThat(FocalLoss.compute(Nd4j.zeros(DataType.FLOAT, 3), Nd4j.zeros(DataType.FLOAT, 3),
        HeatmapInput.PROBABILITIES)).isZero();
    // logits are clamped: a huge logit on a negative costs log(1e-4) * (1 - 1e-4)^2, not infinity
    double clamped = FocalLoss.compute(Nd4j.createFromArray(new float[] {100f}),
        Nd4j.createFromArray(new float[] {0f}), HeatmapInput.LOGITS);
    assertThat(clamped).isCloseTo(-Math.log(1e-4) * Math.pow(1 - 1e-4, 2), within(1e-9));
  }

  @Test
  void focalLossOnBigRandomArraysAgreesWithPlainMath() {
    Random r = new Random(7);
    int n = 200_000;
    float[] p = new float[n];
    float[] g = new float[n];
    double pos = 0;
    double neg = 0;
    int np = 0;
    for (int i = 0; i < n; i++) {
      p[i] = (float) (r.nextDouble() * 0.998 + 0.001);
      g[i] = i % 997 == 0 ? 1f : (float) (r.nextDouble() * r.nextDouble());
      if (g[i] == 1f) {
        pos += Math.log(p[i]) * (1 - p[i]) * (1 - p[i]);
        np++;
      } else {
        neg += Math.log(1 - p[i]) * p[i] * p[i] * Math.pow(1 - g[i], 4);
      }
    }
    double loss = FocalLoss.compute(Nd4j.createFromArray(p), Nd4j.createFromArray(g), HeatmapInput.PROBABILITIES);
    assertThat(loss).isCloseTo(-(pos + neg) / np, within(1e-9 * Math.abs(loss)));
  }

  @Test
  void focalLossRejectsBadInput() {
    assertThatThrownBy(() -> FocalLoss.compute(Nd4j.zeros(DataType.FLOAT, 2, 3), Nd4j.zeros(DataType.FLOAT, 3, 2),
        HeatmapInput.LOGITS)).isInstanceOf(InvalidInputException.class).hasMessageContaining("[2, 3]")
        .hasMessageContaining("[3, 2]");
    assertThatThrownBy(() -> FocalLoss.compute(Nd4j.createFromArray(new float[] {0.5f, Float.NaN}),
        Nd4j.createFromArray(new float[] {0f, 0f}), HeatmapInput.PROBABILITIES))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN at flat index 1");
  }

  @Test
  void regressionLossesMatchReference() {
    close(RegressionLoss.regL1(npy("out"), npy("mask"), npy("ind"), npy("target")), "reg_l1");
    close(RegressionLoss.regWeightedL1(npy("out"), npy("wmask"), npy("ind"), npy("target")), "reg_weighted_l1");
    close(RegressionLoss.smoothL1(npy("out"), npy("mask"), npy("ind"), npy("target")), "smooth_l1");
  }

  @Test
  void regL1ByHandAndWithoutObjects() {
    // one sample, D = 2, 2x2 map, M = 2; object 0 at index 3 with target (1, 1), object 1 masked out
    INDArray out = Nd4j.createFromArray(new float[][][] {{{0, 0}, {0, 3}}, {{0, 0}, {0, -1}}});
    INDArray ind = Nd4j.createFromArray(new long[] {3, 0});
    INDArray target = Nd4j.createFromArray(new float[][] {{1, 1}, {5, 5}});
    INDArray mask = Nd4j.createFromArray(new byte[] {1, 0});
    // |3 - 1| + |-1 - 1| = 4 over (2 + 1e-4)
    assertThat(RegressionLoss.regL1(out, mask, ind, target)).isCloseTo(4 / 2.0001, within(1e-12));
    assertThat(RegressionLoss.regL1(out, Nd4j.createFromArray(new byte[] {0, 0}), ind, target)).isZero();
    assertThatThrownBy(() -> RegressionLoss.regL1(out, mask, Nd4j.createFromArray(new long[] {4, 0}), target))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("index 4");
    assertThatThrownBy(() -> RegressionLoss.regL1(out, mask, ind, Nd4j.zeros(DataType.FLOAT, 2, 3)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'target'");
  }

  @Test
  void associativeEmbeddingMatchesReferenceAndHand() {
    AssociativeEmbeddingLoss.PullPush pp =
        AssociativeEmbeddingLoss.compute(npy("tl"), npy("br"), npy("ind"), npy("ind2"), npy("mask"));
    close(pp.pull(), "ae_pull");
    close(pp.push(), "ae_push");
    // one object with tags 1 and 3: pull = (1 + 1) / 1.0001; push = (1 - 1/1.0001) / 1e-4
    AssociativeEmbeddingLoss.PullPush one = AssociativeEmbeddingLoss.fromGathered(
        new float[] {1}, new float[] {3}, new float[] {1}, 1, 1);
    assertThat(one.pull()).isCloseTo(2 / 1.0001, within(1e-12));
    assertThat(one.push()).isCloseTo((1 - 1 / 1.0001) / 1e-4, within(1e-9));
    AssociativeEmbeddingLoss.PullPush none = AssociativeEmbeddingLoss.fromGathered(
        new float[] {1}, new float[] {3}, new float[] {0}, 1, 1);
    assertThat(none.pull()).isZero();
    assertThat(none.push()).isZero();
  }

  @Test
  void binRotMatchesReference() {
    close(BinRotLoss.compute(npy("rot"), npy("mask"), npy("ind"), npy("rotbin"), npy("rotres")), "bin_rot");
  }

  @Test
  void ctdetTotalMatchesReference() {
    TargetGeometry g = TargetGeometry.builder(128, 128).optCenterScale(100, 75, 200, 0).build();
    CtdetTargetEncoder enc = CtdetTargetEncoder.builder(g, 3).optMaxObjects(6).build();
    try (TargetSet t = enc.encode(TestData.objects("ctdet_objects"))) {
      INDArray hm = npy("hm_logits");
      INDArray wh = npy("wh_out");
      INDArray reg = npy("reg_out");
      CtdetLoss.Values v = CtdetLoss.defaults().compute(
          hm.reshape(3, 32, 32), wh.reshape(2, 32, 32), reg.reshape(2, 32, 32), t);
      close(v.hm(), "ctdet_hm");
      close(v.wh(), "ctdet_wh");
      close(v.off(), "ctdet_off");
      close(v.total(), "ctdet_total");
    }
  }
}
