package io.github.keydet.core.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.core.decode.MultiPoseDecoder.JointSnapping;
import io.github.keydet.core.heads.Heads;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The nearest heat-map joint on near-ties: two heat-map joints whose squared distances to the regressed joint
 * differ in float but whose float distances (the float square root, the original's {@code ** 0.5}) are equal. The
 * first in score order wins, as torch's {@code min} over the distances picks, even when its squared distance is
 * the larger. The expected choice is worked out here with the float operations of the original.
 */
class MultiPoseNearestJointTest {
  private static final int H = 8;
  private static final int W = 8;

  /** Regressed joint at (1 + ex, 1 + ey) from the center cell (1, 1); heat-map joints A at (4, 5), B at (6, 1). */
  private record NearTie(float ex, float ey) {}

  private static float dist(float rx, float ry, float hx, float hy) {
    float dx = rx - hx;
    float dy = ry - hy;
    return (float) Math.sqrt(dx * dx + dy * dy);
  }

  private static float sq(float rx, float ry, float hx, float hy) {
    float dx = rx - hx;
    float dy = ry - hy;
    return dx * dx + dy * dy;
  }

  /** Offsets for which A's squared distance is larger than B's, with the same float distance. */
  private static NearTie findNearTie() {
    for (int i = 0; i < 4000; i++) {
      for (int j = 0; j < 64; j++) {
        float ex = i * 0x1p-22f;
        float ey = j * 0x1p-22f;
        float rx = 1 + ex;
        float ry = 1 + ey;
        if (sq(rx, ry, 4, 5) > sq(rx, ry, 6, 1) && dist(rx, ry, 4, 5) == dist(rx, ry, 6, 1)) {
          return new NearTie(ex, ey);
        }
      }
    }
    throw new AssertionError("no near-tie found");
  }

  private static INDArray zeros(int c) {
    return Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, c, H, W);
  }

  @Test
  void firstOfEqualFloatDistancesWinsOverTheSmallerSquare() {
    NearTie t = findNearTie();
    float rx = 1 + t.ex();
    float ry = 1 + t.ey();
    Map<String, INDArray> m = new HashMap<>();
    m.put("hm", zeros(1));
    m.put("wh", zeros(2));
    m.put("reg", zeros(2));
    m.put("hps", zeros(4));
    m.put("hm_hp", zeros(2));
    m.put("hp_offset", zeros(2));
    m.get("hm").putScalar(new long[] {0, 0, 1, 1}, 0.9f);
    m.get("wh").putScalar(new long[] {0, 0, 1, 1}, 20f);
    m.get("wh").putScalar(new long[] {0, 1, 1, 1}, 20f);
    for (int j = 0; j < 2; j++) {
      m.get("hps").putScalar(new long[] {0, 2 * j, 1, 1}, t.ex());
      m.get("hps").putScalar(new long[] {0, 2 * j + 1, 1, 1}, t.ey());
    }
    // joint 0: A scores higher (first), B lower; joint 1 the other way round
    m.get("hm_hp").putScalar(new long[] {0, 0, 5, 4}, 0.9f);
    m.get("hm_hp").putScalar(new long[] {0, 0, 1, 6}, 0.8f);
    m.get("hm_hp").putScalar(new long[] {0, 1, 5, 4}, 0.7f);
    m.get("hm_hp").putScalar(new long[] {0, 1, 1, 6}, 0.95f);
    // the premise: same float distance, A's square larger
    assertThat(dist(rx, ry, 4, 5)).isEqualTo(dist(rx, ry, 6, 1));
    assertThat(sq(rx, ry, 4, 5)).isGreaterThan(sq(rx, ry, 6, 1));
    for (JointSnapping snapping : JointSnapping.values()) {
      if (snapping == JointSnapping.NONE) {
        continue;
      }
      MultiPoseDecoder decoder = new MultiPoseDecoder(
          MultiPoseDecoder.Config.defaults().withK(3).withDistanceRatio(1f).withSnapping(snapping));
      Candidate c = decoder.decode(Heads.nchw(m)).get(0).get(0);
      assertThat(c.points()).as(snapping.name()).containsExactly(4f, 5f, 6f, 1f);
      assertThat(c.pointScores()).as(snapping.name()).containsExactly(0.9f, 0.95f);
    }
  }
}
