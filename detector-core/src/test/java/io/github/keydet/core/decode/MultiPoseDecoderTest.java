package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MultiPoseDecoderTest {
  private static final int J = 2;

  private static INDArray zeros(int n, int c, int h, int w) {
    return Nd4j.zeros(DataType.FLOAT, n, c, h, w);
  }

  /** Heads of a tiny 2-joint model on an h x w map, all zero. */
  private static Map<String, INDArray> heads(int n, int h, int w) {
    Map<String, INDArray> m = new HashMap<>();
    m.put("hm", zeros(n, 1, h, w));
    m.put("wh", zeros(n, 2, h, w));
    m.put("reg", zeros(n, 2, h, w));
    m.put("hps", zeros(n, 2 * J, h, w));
    m.put("hm_hp", zeros(n, J, h, w));
    m.put("hp_offset", zeros(n, 2, h, w));
    return m;
  }

  private static void put(Map<String, INDArray> m, String head, int n, int c, int y, int x, float v) {
    m.get(head).putScalar(new int[] {n, c, y, x}, v);
  }

  private static MultiPoseDecoder decoder(int k) {
    return new MultiPoseDecoder(MultiPoseDecoder.Config.defaults().withK(k));
  }

  /** One person at cell (4, 4) with a 6x6 box, offsets (0.25, 0.5); joints regressed to (2, 3) and (6, 5). */
  private static Map<String, INDArray> onePerson() {
    Map<String, INDArray> m = heads(1, 10, 10);
    put(m, "hm", 0, 0, 4, 4, 0.9f);
    put(m, "wh", 0, 0, 4, 4, 6f);
    put(m, "wh", 0, 1, 4, 4, 6f);
    put(m, "reg", 0, 0, 4, 4, 0.25f);
    put(m, "reg", 0, 1, 4, 4, 0.5f);
    put(m, "hps", 0, 0, 4, 4, -2f); // joint 0 at (2, 3)
    put(m, "hps", 0, 1, 4, 4, -1f);
    put(m, "hps", 0, 2, 4, 4, 2f); // joint 1 at (6, 5)
    put(m, "hps", 0, 3, 4, 4, 1f);
    return m;
  }

  @Test
  void regressedJointsAreIntegerCenterPlusOffsetBeforeReg() {
    Map<String, INDArray> m = onePerson();
    m.remove("hm_hp");
    Candidate c = decoder(3).decode(Heads.nchw(m)).get(0).get(0);
    assertThat(c.score()).isEqualTo(0.9f);
    assertThat(new float[] {c.x1(), c.y1(), c.x2(), c.y2()}).containsExactly(1.25f, 1.5f, 7.25f, 7.5f);
    assertThat(c.points()).containsExactly(2f, 3f, 6f, 5f);
    assertThat(c.pointScores()).containsExactly(0f, 0f);
  }

  @Test
  void nearbyHeatmapJointReplacesRegressedOne() {
    Map<String, INDArray> m = onePerson();
    put(m, "hm_hp", 0, 0, 3, 2, 0.7f); // joint 0 heat at cell (2, 3) + offset (0.5, 0.25)
    put(m, "hp_offset", 0, 0, 3, 2, 0.5f);
    put(m, "hp_offset", 0, 1, 3, 2, 0.25f);
    Candidate c = decoder(3).decode(Heads.nchw(m)).get(0).get(0);
    assertThat(c.points()).containsExactly(2.5f, 3.25f, 6f, 5f);
    assertThat(c.pointScores()[0]).isEqualTo(0.7f);
  }

  @Test
  void heatmapJointRejectedOutsideBoxStrictlyButAcceptedOnEdge() {
    // box x in [1.25, 7.25]; joint 1 regressed at (6, 5)
    Map<String, INDArray> m = onePerson();
    put(m, "hm_hp", 0, 1, 5, 7, 0.5f);
    put(m, "hp_offset", 0, 0, 5, 7, 0.25f); // x = 7.25: on the right edge -> accepted
    Candidate c = decoder(3).decode(Heads.nchw(m)).get(0).get(0);
    assertThat(c.points()[2]).isEqualTo(7.25f);
    put(m, "hp_offset", 0, 0, 5, 7, 0.3f); // x = 7.3: outside -> regressed kept
    c = decoder(3).decode(Heads.nchw(m)).get(0).get(0);
    assertThat(c.points()[2]).isEqualTo(6f);
    assertThat(c.pointScores()[1]).isEqualTo(0.5f); // the considered joint's score is still reported
  }

  @Test
  void heatmapJointAtThresholdOrTooFarIsIgnored() {
    Map<String, INDArray> m = onePerson();
    put(m, "hm_hp", 0, 0, 3, 2, 0.1f); // exactly 0.1: masked (<= 0.1)
    Candidate c = decoder(3).decode(Heads.nchw(m)).get(0).get(0);
    assertThat(c.points()[0]).isEqualTo(2f);
    assertThat(c.points()[1]).isEqualTo(3f);
    // distance limit 0.3 * 6 = 1.8: a joint 1.8 away is accepted, 2.0 away is not
    m = onePerson();
    put(m, "hm_hp", 0, 0, 3, 3, 0.6f);
    put(m, "hp_offset", 0, 0, 3, 3, -0.2f); // (2.8, 3): distance 0.8
    c = decoder(3).decode(Heads.nchw(m)).get(0).get(0);
    assertThat(c.points()[0]).isCloseTo(2.8f, within(1e-6f));
    m = onePerson();
    put(m, "hm_hp", 0, 0, 1, 2, 0.6f);
    put(m, "hp_offset", 0, 0, 1, 2, 0f); // (2, 1): distance 2.0 > 1.8
    c = decoder(3).decode(Heads.nchw(m)).get(0).get(0);
    assertThat(c.points()[1]).isEqualTo(3f);
  }

  @Test
  void nearestOfSeveralHeatmapJointsWins() {
    Map<String, INDArray> m = onePerson();
    put(m, "hm_hp", 0, 0, 3, 4, 0.9f); // (4, 3): distance 2 (too far anyway)
    put(m, "hm_hp", 0, 0, 4, 2, 0.3f); // (2, 4): distance 1, lower score but nearer
    Candidate c = decoder(5).decode(Heads.nchw(m)).get(0).get(0);
    assertThat(c.points()[0]).isEqualTo(2f);
    assertThat(c.points()[1]).isEqualTo(4f);
    assertThat(c.pointScores()[0]).isEqualTo(0.3f);
  }

  @Test
  void plateauBorderFewerPeaksThanKAndBatch() {
    Map<String, INDArray> m = heads(2, 5, 5);
    put(m, "hm", 0, 0, 0, 0, 0.8f); // corner
    put(m, "hm", 0, 0, 4, 3, 0.5f); // plateau of two equal maxima on the bottom border
    put(m, "hm", 0, 0, 4, 4, 0.5f);
    put(m, "hm", 1, 0, 2, 2, 0.4f);
    List<List<Candidate>> out = decoder(4).decode(Heads.nchw(m));
    assertThat(out).hasSize(2);
    List<Candidate> a = out.get(0);
    assertThat(a).hasSize(4);
    assertThat(a.get(0).score()).isEqualTo(0.8f);
    assertThat(a.get(1).score()).isEqualTo(0.5f);
    assertThat(a.get(2).score()).isEqualTo(0.5f);
    assertThat(a.get(3).score()).isEqualTo(0f); // fewer peaks than K: zero-score fill, as the original
    assertThat(a.get(0).x1()).isEqualTo(0.0f);
    assertThat(out.get(1).get(0).score()).isEqualTo(0.4f);
    assertThat(out.get(1).get(0).points()).containsExactly(2f, 2f, 2f, 2f);
  }

  @Test
  void allBackgroundGivesZeroScoresAndRegressedJoints() {
    Map<String, INDArray> m = heads(1, 4, 4);
    List<Candidate> out = decoder(16).decode(Heads.nchw(m)).get(0);
    assertThat(out).hasSize(16);
    for (Candidate c : out) {
      assertThat(c.score()).isZero();
      assertThat(c.pointScores()).containsExactly(0f, 0f);
    }
  }

  @Test
  void matchesNumpyPortOfUpstream() throws Exception {
    Map<String, INDArray> heads = npz("decode/pose/heads.npz");
    Map<String, INDArray> exp = npz("decode/pose/expected.npz");
    List<List<Candidate>> out = decoder(10).decode(Heads.nchw(heads));
    compare(out, exp.get("boxes"), exp.get("scores"), exp.get("kps"), exp.get("point_scores"));
    Map<String, INDArray> noHeat = new HashMap<>(heads);
    noHeat.remove("hm_hp");
    noHeat.remove("hp_offset");
    noHeat.remove("reg");
    compare(decoder(10).decode(Heads.nchw(noHeat)), exp.get("boxes_noreg"), exp.get("scores_noreg"),
        exp.get("kps_noreg"), null);
  }

  @Test
  void nhwcGivesTheSameResult() throws Exception {
    Map<String, INDArray> heads = npz("decode/pose/heads.npz");
    Map<String, INDArray> nhwc = new HashMap<>();
    heads.forEach((k, v) -> nhwc.put(k, v.permute(0, 2, 3, 1).dup('c')));
    List<List<Candidate>> a = decoder(10).decode(Heads.nchw(heads));
    List<List<Candidate>> b =
        new MultiPoseDecoder(MultiPoseDecoder.Config.defaults().withK(10).withLayout(Layout.NHWC))
            .decode(new Heads(nhwc, Layout.NHWC));
    for (int n = 0; n < 2; n++) {
      for (int i = 0; i < 10; i++) {
        assertThat(b.get(n).get(i).points()).isEqualTo(a.get(n).get(i).points());
        assertThat(b.get(n).get(i).score()).isEqualTo(a.get(n).get(i).score());
      }
    }
  }

  @Test
  void zeroingSubThresholdJointsChangesNothing() {
    // the probability path zeroes hm_hp values <= threshold before the shared top-K; the logit path does not:
    // both must pick the same joints, with many sub-threshold entries inside the top K
    java.util.Random rnd = new java.util.Random(7);
    Map<String, INDArray> p = heads(2, 12, 12);
    Map<String, INDArray> l = new HashMap<>();
    for (Map.Entry<String, INDArray> e : p.entrySet()) {
      INDArray a = e.getValue();
      for (long i = 0; i < a.length(); i++) {
        float v;
        switch (e.getKey()) {
          case "hm", "hm_hp" -> v = rnd.nextFloat() < 0.8f ? 0.005f + 0.09f * rnd.nextFloat() : 0.11f + 0.8f * rnd.nextFloat();
          case "wh" -> v = 4 + 8 * rnd.nextFloat();
          case "hps" -> v = (float) rnd.nextGaussian() * 2;
          default -> v = rnd.nextFloat();
        }
        a.putScalar(i, v);
      }
      l.put(e.getKey(), e.getKey().startsWith("hm") ? logit(a) : a);
    }
    List<List<Candidate>> a = decoder(40).decode(Heads.nchw(p));
    List<List<Candidate>> b =
        new MultiPoseDecoder(MultiPoseDecoder.Config.defaults().withK(40).withActivation(Activation.LOGITS))
            .decode(Heads.nchw(l));
    int replaced = 0;
    for (int n = 0; n < 2; n++) {
      for (int i = 0; i < 40; i++) {
        Candidate x = a.get(n).get(i);
        Candidate y = b.get(n).get(i);
        assertThat(y.x1()).isEqualTo(x.x1());
        assertThat(y.points()).isEqualTo(x.points());
        for (int j = 0; j < J; j++) {
          if (x.pointScores()[j] > 0.1f) {
            replaced++;
          }
          assertThat(y.pointScores()[j] > 0.1f ? y.pointScores()[j] : 0f)
              .isCloseTo(x.pointScores()[j], within(1e-5f));
        }
      }
    }
    assertThat(replaced).isGreaterThan(0);
  }

  private static INDArray logit(INDArray probabilities) {
    INDArray out = probabilities.dup();
    for (long i = 0; i < out.length(); i++) {
      double v = probabilities.getDouble(i);
      out.putScalar(i, Math.log(v / (1 - v)));
    }
    return out;
  }

  private static void compare(
      List<List<Candidate>> out, INDArray boxes, INDArray scores, INDArray kps, INDArray pointScores) {
    long batch = boxes.size(0);
    long k = boxes.size(1);
    assertThat(out).hasSize((int) batch);
    for (int n = 0; n < batch; n++) {
      assertThat(out.get(n)).hasSize((int) k);
      for (int i = 0; i < k; i++) {
        Candidate c = out.get(n).get(i);
        assertThat(c.score()).isCloseTo(scores.getFloat(n, i), within(1e-6f));
        float[] box = {c.x1(), c.y1(), c.x2(), c.y2()};
        for (int q = 0; q < 4; q++) {
          assertThat(box[q]).as("box %d %d %d", n, i, q).isCloseTo(boxes.getFloat(n, i, q), within(1e-4f));
        }
        for (int q = 0; q < c.points().length; q++) {
          assertThat(c.points()[q]).as("kp %d %d %d", n, i, q).isCloseTo(kps.getFloat(n, i, q), within(1e-4f));
        }
        if (pointScores != null) {
          for (int j = 0; j < c.pointScores().length; j++) {
            assertThat(c.pointScores()[j]).isCloseTo(pointScores.getFloat(n, i, j), within(1e-6f));
          }
        }
      }
    }
  }

  static Map<String, INDArray> npz(String resource) throws Exception {
    File f = new File(MultiPoseDecoderTest.class.getClassLoader().getResource(resource).toURI());
    return Nd4j.createFromNpzFile(f);
  }

  @Test
  void badInputAndConfig() {
    Map<String, INDArray> m = heads(1, 4, 4);
    m.put("hps", zeros(1, 2 * J, 4, 5));
    assertThatThrownBy(() -> decoder(3).decode(Heads.nchw(m)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[1, 4, 4, 5]")
        .hasMessageContaining("[1, 1, 4, 4]");
    Map<String, INDArray> m2 = heads(1, 4, 4);
    m2.put("hm_hp", zeros(1, J + 1, 4, 4));
    assertThatThrownBy(() -> decoder(3).decode(Heads.nchw(m2))).isInstanceOf(InvalidInputException.class);
    Map<String, INDArray> m3 = heads(1, 4, 4);
    m3.remove("hps");
    assertThatThrownBy(() -> decoder(3).decode(Heads.nchw(m3)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("hps");
    Map<String, INDArray> m4 = heads(1, 4, 4);
    put(m4, "hm", 0, 0, 1, 1, Float.NaN);
    assertThatThrownBy(() -> decoder(3).decode(Heads.nchw(m4))).isInstanceOf(InvalidInputException.class);
    Map<String, INDArray> m5 = heads(1, 4, 4);
    put(m5, "hm", 0, 0, 1, 1, 0.5f);
    put(m5, "hps", 0, 1, 1, 1, Float.NaN);
    assertThatThrownBy(() -> decoder(3).decode(Heads.nchw(m5)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("hps");
    Map<String, INDArray> m6 = heads(1, 4, 4);
    put(m6, "hm_hp", 0, 1, 2, 2, Float.NaN);
    assertThatThrownBy(() -> decoder(3).decode(Heads.nchw(m6))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> decoder(17).decode(Heads.nchw(heads(1, 4, 4))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> MultiPoseDecoder.Config.defaults().withK(0)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> MultiPoseDecoder.Config.defaults().withKernel(2))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> MultiPoseDecoder.Config.defaults().withJointThreshold(1.5f))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> MultiPoseDecoder.Config.defaults().withDistanceRatio(Float.NaN))
        .isInstanceOf(InvalidConfigException.class);
  }
}
