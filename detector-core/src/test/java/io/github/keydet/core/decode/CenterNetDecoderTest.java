package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.Layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ctdet decoding on hand-computed cases. */
class CenterNetDecoderTest {
  private static final float EPS = 1e-6f;

  /** A zero NCHW head. */
  private static float[] zeros(int n, int c, int h, int w) {
    return new float[n * c * h * w];
  }

  private static void put(float[] a, int c0, int h, int w, int n, int c, int y, int x, float v) {
    a[((n * c0 + c) * h + y) * w + x] = v;
  }

  private static INDArray nd(float[] a, int n, int c, int h, int w) {
    return Nd4j.create(a, new long[] {n, c, h, w}, 'c');
  }

  private static CenterNetDecoder decoder(int k) {
    return new CenterNetDecoder(CenterNetDecoder.Config.defaults().withK(k));
  }

  private static void assertBox(Candidate c, float x1, float y1, float x2, float y2, float score, int cls) {
    assertThat(c.x1()).isCloseTo(x1, within(EPS));
    assertThat(c.y1()).isCloseTo(y1, within(EPS));
    assertThat(c.x2()).isCloseTo(x2, within(EPS));
    assertThat(c.y2()).isCloseTo(y2, within(EPS));
    assertThat(c.score()).isEqualTo(score);
    assertThat(c.classId()).isEqualTo(cls);
  }

  @Test
  void peakWithOffsetAndSize() {
    float[] hm = zeros(1, 2, 4, 5);
    put(hm, 2, 4, 5, 0, 1, 2, 3, 0.9f);
    put(hm, 2, 4, 5, 0, 1, 2, 2, 0.4f); // neighbour, suppressed
    float[] wh = zeros(1, 2, 4, 5);
    put(wh, 2, 4, 5, 0, 0, 2, 3, 4f);
    put(wh, 2, 4, 5, 0, 1, 2, 3, 2f);
    float[] reg = zeros(1, 2, 4, 5);
    put(reg, 2, 4, 5, 0, 0, 2, 3, 0.75f);
    put(reg, 2, 4, 5, 0, 1, 2, 3, 0.25f);
    List<Candidate> out = decoder(3).decode(nd(hm, 1, 2, 4, 5), nd(wh, 1, 2, 4, 5), nd(reg, 1, 2, 4, 5)).get(0);
    assertThat(out).hasSize(3);
    // center (3 + 0.75, 2 + 0.25), size 4 x 2
    assertBox(out.get(0), 1.75f, 1.25f, 5.75f, 3.25f, 0.9f, 1);
    // the suppressed neighbour and everything else score 0
    assertThat(out.get(1).score()).isZero();
    assertThat(out.get(2).score()).isZero();
  }

  @Test
  void withoutRegTheCenterIsTheCellPlusHalf() {
    float[] hm = zeros(1, 1, 3, 3);
    put(hm, 1, 3, 3, 0, 0, 1, 1, 0.7f);
    float[] wh = zeros(1, 2, 3, 3);
    put(wh, 2, 3, 3, 0, 0, 1, 1, 1f);
    put(wh, 2, 3, 3, 0, 1, 1, 1, 3f);
    Candidate c = decoder(1).decode(nd(hm, 1, 1, 3, 3), nd(wh, 1, 2, 3, 3), null).get(0).get(0);
    assertBox(c, 1.0f, 0.0f, 2.0f, 3.0f, 0.7f, 0);
  }

  @Test
  void peaksOnBordersAndCornersSurvive() {
    float[] hm = zeros(1, 1, 4, 4);
    put(hm, 1, 4, 4, 0, 0, 0, 0, 0.5f);
    put(hm, 1, 4, 4, 0, 0, 3, 3, 0.6f);
    put(hm, 1, 4, 4, 0, 0, 0, 3, 0.7f);
    put(hm, 1, 4, 4, 0, 0, 3, 1, 0.8f);
    List<Candidate> out = decoder(4).decode(nd(hm, 1, 1, 4, 4), nd(zeros(1, 2, 4, 4), 1, 2, 4, 4), null).get(0);
    assertThat(out).extracting(Candidate::score).containsExactly(0.8f, 0.7f, 0.6f, 0.5f);
    assertThat(out).extracting(c -> c.x1()).containsExactly(1.5f, 3.5f, 3.5f, 0.5f);
    assertThat(out).extracting(c -> c.y1()).containsExactly(3.5f, 0.5f, 3.5f, 0.5f);
  }

  @Test
  void everyElementOfAPlateauSurvives() {
    float[] hm = zeros(1, 1, 5, 5);
    put(hm, 1, 5, 5, 0, 0, 2, 1, 0.5f);
    put(hm, 1, 5, 5, 0, 0, 2, 2, 0.5f);
    put(hm, 1, 5, 5, 0, 0, 3, 2, 0.5f);
    put(hm, 1, 5, 5, 0, 0, 0, 4, 0.2f); // a separate peak
    put(hm, 1, 5, 5, 0, 0, 1, 1, 0.3f); // lower neighbour of the plateau: suppressed
    List<Candidate> out = decoder(6).decode(nd(hm, 1, 1, 5, 5), nd(zeros(1, 2, 5, 5), 1, 2, 5, 5), null).get(0);
    assertThat(out).extracting(Candidate::score).containsExactly(0.5f, 0.5f, 0.5f, 0.2f, 0f, 0f);
    // ties come in memory order
    assertThat(out.subList(0, 3)).extracting(c -> c.x1(), c -> c.y1())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1.5f, 2.5f),
            org.assertj.core.groups.Tuple.tuple(2.5f, 2.5f),
            org.assertj.core.groups.Tuple.tuple(2.5f, 3.5f));
  }

  @Test
  void fewerPeaksThanKGivesZeroScoreEntries() {
    float[] hm = zeros(1, 2, 3, 3);
    put(hm, 2, 3, 3, 0, 0, 0, 0, 0.9f);
    put(hm, 2, 3, 3, 0, 1, 2, 2, 0.4f);
    List<Candidate> out = decoder(7).decode(nd(hm, 1, 2, 3, 3), nd(zeros(1, 2, 3, 3), 1, 2, 3, 3), null).get(0);
    assertThat(out).hasSize(7);
    assertThat(out).extracting(Candidate::score).containsExactly(0.9f, 0.4f, 0f, 0f, 0f, 0f, 0f);
    assertThat(out.get(0).classId()).isZero();
    assertThat(out.get(1).classId()).isEqualTo(1);
  }

  @Test
  void allBackgroundMapGivesKZeroEntries() {
    List<Candidate> out =
        decoder(5).decode(nd(zeros(1, 3, 4, 4), 1, 3, 4, 4), nd(zeros(1, 2, 4, 4), 1, 2, 4, 4), null).get(0);
    assertThat(out).hasSize(5).allSatisfy(c -> assertThat(c.score()).isZero());
  }

  @Test
  void batchItemsAreDecodedIndependently() {
    float[] hm = zeros(2, 2, 4, 4);
    put(hm, 2, 4, 4, 0, 0, 1, 1, 0.9f);
    put(hm, 2, 4, 4, 1, 1, 3, 2, 0.8f);
    float[] wh = zeros(2, 2, 4, 4);
    put(wh, 2, 4, 4, 0, 0, 1, 1, 2f);
    put(wh, 2, 4, 4, 0, 1, 1, 1, 2f);
    put(wh, 2, 4, 4, 1, 0, 3, 2, 4f);
    put(wh, 2, 4, 4, 1, 1, 3, 2, 6f);
    List<List<Candidate>> out = decoder(2).decode(nd(hm, 2, 2, 4, 4), nd(wh, 2, 2, 4, 4), null);
    assertThat(out).hasSize(2);
    assertBox(out.get(0).get(0), 0.5f, 0.5f, 2.5f, 2.5f, 0.9f, 0);
    assertBox(out.get(1).get(0), 0.5f, 0.5f, 4.5f, 6.5f, 0.8f, 1);
    assertThat(out.get(0).get(1).score()).isZero();
    assertThat(out.get(1).get(1).score()).isZero();
  }

  @Test
  void categorySpecificSizesUseChannels2cAnd2cPlus1() {
    int c0 = 3;
    float[] hm = zeros(1, c0, 4, 4);
    put(hm, c0, 4, 4, 0, 2, 1, 2, 0.9f);
    put(hm, c0, 4, 4, 0, 0, 3, 0, 0.6f);
    float[] wh = zeros(1, 2 * c0, 4, 4);
    for (int ch = 0; ch < 2 * c0; ch++) {
      put(wh, 2 * c0, 4, 4, 0, ch, 1, 2, 10 + ch); // class 2 -> channels 4, 5 -> sizes 14, 15
      put(wh, 2 * c0, 4, 4, 0, ch, 3, 0, 20 + ch); // class 0 -> channels 0, 1 -> sizes 20, 21
    }
    List<Candidate> out = decoder(2).decode(nd(hm, 1, c0, 4, 4), nd(wh, 1, 2 * c0, 4, 4), null).get(0);
    assertBox(out.get(0), 2.5f - 7f, 1.5f - 7.5f, 2.5f + 7f, 1.5f + 7.5f, 0.9f, 2);
    assertBox(out.get(1), 0.5f - 10f, 3.5f - 10.5f, 0.5f + 10f, 3.5f + 10.5f, 0.6f, 0);
  }

  @Test
  void logitsAreActivatedAndPeaksMatchTheProbabilityMap() {
    java.util.Random rnd = new java.util.Random(7);
    float[] logits = new float[2 * 6 * 6];
    float[] probs = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (rnd.nextGaussian() * 3);
      probs[i] = Activation.sigmoid(logits[i]);
    }
    float[] wh = zeros(1, 2, 6, 6);
    CenterNetDecoder.Config cfg = CenterNetDecoder.Config.defaults().withK(10);
    List<Candidate> fromLogits = new CenterNetDecoder(cfg.withActivation(Activation.LOGITS))
        .decode(nd(logits, 1, 2, 6, 6), nd(wh, 1, 2, 6, 6), null).get(0);
    List<Candidate> fromProbs = new CenterNetDecoder(cfg)
        .decode(nd(probs, 1, 2, 6, 6), nd(wh, 1, 2, 6, 6), null).get(0);
    assertThat(fromLogits).isEqualTo(fromProbs);
    assertThat(fromLogits.get(0).score()).isBetween(0f, 1f);
    // probabilities are not activated again
    float max = 0;
    for (float p : probs) {
      max = Math.max(max, p);
    }
    assertThat(fromProbs.get(0).score()).isEqualTo(max);
  }

  @Test
  void nhwcEqualsNchw() {
    java.util.Random rnd = new java.util.Random(11);
    int c = 3;
    int h = 7;
    int w = 9;
    float[] hmN = new float[c * h * w];
    float[] whN = new float[2 * h * w];
    float[] regN = new float[2 * h * w];
    for (int i = 0; i < hmN.length; i++) {
      hmN[i] = rnd.nextFloat();
    }
    for (int i = 0; i < whN.length; i++) {
      whN[i] = rnd.nextFloat() * 5;
      regN[i] = rnd.nextFloat();
    }
    INDArray hm = nd(hmN, 1, c, h, w);
    INDArray wh = nd(whN, 1, 2, h, w);
    INDArray reg = nd(regN, 1, 2, h, w);
    CenterNetDecoder.Config cfg = CenterNetDecoder.Config.defaults().withK(15);
    List<Candidate> nchw = new CenterNetDecoder(cfg).decode(hm, wh, reg).get(0);
    List<Candidate> nhwc = new CenterNetDecoder(cfg.withLayout(Layout.NHWC))
        .decode(hm.permute(0, 2, 3, 1).dup('c'), wh.permute(0, 2, 3, 1).dup('c'), reg.permute(0, 2, 3, 1).dup('c'))
        .get(0);
    // random floats: no ties, so the order is defined
    assertThat(nhwc).isEqualTo(nchw);
    // and a non-contiguous permuted view is read correctly too
    List<Candidate> view = new CenterNetDecoder(cfg.withLayout(Layout.NHWC))
        .decode(hm.permute(0, 2, 3, 1), wh.permute(0, 2, 3, 1), reg.permute(0, 2, 3, 1)).get(0);
    assertThat(view).isEqualTo(nchw);
  }

  @Test
  void nanInHeatmapIsRejected() {
    float[] hm = zeros(1, 2, 4, 4);
    put(hm, 2, 4, 4, 0, 1, 2, 3, Float.NaN);
    assertThatThrownBy(() -> decoder(3).decode(nd(hm, 1, 2, 4, 4), nd(zeros(1, 2, 4, 4), 1, 2, 4, 4), null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("NaN")
        .hasMessageContaining("'hm'")
        .hasMessageContaining("channel 1, y 2, x 3");
  }

  @Test
  void nanRejectedEvenWhenHeapIsFullOfBetterValues() {
    float[] hm = zeros(1, 1, 4, 4);
    java.util.Arrays.fill(hm, 0.9f);
    hm[15] = Float.NaN;
    assertThatThrownBy(() -> decoder(1).decode(nd(hm, 1, 1, 4, 4), nd(zeros(1, 2, 4, 4), 1, 2, 4, 4), null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
  }

  @Test
  void badKAndKernel() {
    assertThatThrownBy(() -> CenterNetDecoder.Config.defaults().withK(0))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("K must be > 0, got 0");
    assertThatThrownBy(() -> CenterNetDecoder.Config.defaults().withK(-3))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("-3");
    assertThatThrownBy(() -> DecodeOptions.defaults().withK(0)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> CenterNetDecoder.Config.defaults().withKernel(2))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("odd");
    assertThatThrownBy(() -> decoder(17).decode(nd(zeros(1, 2, 4, 4), 1, 2, 4, 4), nd(zeros(1, 2, 4, 4), 1, 2, 4, 4), null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("K = 17 exceeds the 4x4 = 16 cells");
  }

  @Test
  void mismatchedHeadsAreRejected() {
    assertThatThrownBy(() -> decoder(3).decode(nd(zeros(1, 2, 4, 4), 1, 2, 4, 4), nd(zeros(1, 3, 4, 4), 1, 3, 4, 4), null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'wh'");
    assertThatThrownBy(() -> decoder(3).decode(nd(zeros(1, 2, 4, 4), 1, 2, 4, 4), nd(zeros(1, 2, 4, 5), 1, 2, 4, 5), null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'wh'").hasMessageContaining("'hm'");
    assertThatThrownBy(() -> decoder(3).decode(
            nd(zeros(1, 2, 4, 4), 1, 2, 4, 4), nd(zeros(1, 2, 4, 4), 1, 2, 4, 4), nd(zeros(1, 1, 4, 4), 1, 1, 4, 4)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'reg'");
    assertThatThrownBy(() -> decoder(3).decode(Nd4j.zeros(2, 4, 4), nd(zeros(1, 2, 4, 4), 1, 2, 4, 4), null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("rank 4");
  }
}
