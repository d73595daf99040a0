package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GridPointsDecoderTest {

  /** Heads with grid points 0 (top-left), 4 (center), 8 (bottom-right), all zero. */
  private static Map<String, INDArray> heads(int n, int c, int h, int w) {
    Map<String, INDArray> m = new HashMap<>();
    for (int p : new int[] {0, 4, 8}) {
      m.put("hm_p" + p, Nd4j.zeros(DataType.FLOAT, n, c, h, w));
    }
    m.put("wh", Nd4j.zeros(DataType.FLOAT, n, 2, h, w));
    m.put("reg", Nd4j.zeros(DataType.FLOAT, n, 2, h, w));
    return m;
  }

  private static void put(Map<String, INDArray> m, String head, int n, int c, int y, int x, float v) {
    m.get(head).putScalar(new int[] {n, c, y, x}, v);
  }

  /** A peak of grid point p at cell (x, y) with box size (w, h) read there. */
  private static void peak(Map<String, INDArray> m, int p, int n, int c, int x, int y, float s, float w, float h) {
    put(m, "hm_p" + p, n, c, y, x, s);
    put(m, "wh", n, 0, y, x, w);
    put(m, "wh", n, 1, y, x, h);
  }

  private static GridPointsDecoder decoder(int k) {
    return new GridPointsDecoder(GridPointsDecoder.Config.defaults().withK(k));
  }

  private static float[] box(Candidate c) {
    return new float[] {c.x1(), c.y1(), c.x2(), c.y2()};
  }

  @Test
  void gridPositionsAreRowMajorOverTheBox() {
    assertThat(GridPointsDecoder.gridFx(0)).isZero();
    assertThat(GridPointsDecoder.gridFy(0)).isZero();
    assertThat(GridPointsDecoder.gridFx(5)).isEqualTo(1f);
    assertThat(GridPointsDecoder.gridFy(5)).isEqualTo(0.5f);
    assertThat(GridPointsDecoder.gridFx(7)).isEqualTo(0.5f);
    assertThat(GridPointsDecoder.gridFy(7)).isEqualTo(1f);
  }

  @Test
  void agreeingPointsFuseIntoOneBoxWhoseScoreIsTheMeanOverAllPoints() {
    // box (2, 2)-(8, 6): top-left at (2, 2), center at (5, 4), bottom-right at (8, 6)
    Map<String, INDArray> m = heads(1, 1, 10, 10);
    peak(m, 0, 0, 0, 2, 2, 0.9f, 6, 4);
    peak(m, 4, 0, 0, 5, 4, 0.6f, 6, 4);
    peak(m, 8, 0, 0, 8, 6, 0.3f, 6, 4);
    List<Candidate> out = decoder(1).decode(Heads.nchw(m)).get(0);
    assertThat(out).hasSize(1);
    Candidate c = out.get(0);
    assertThat(c.score()).isCloseTo(1.8f / 3, within(1e-6f));
    assertThat(box(c)).containsExactly(new float[] {2, 2, 8, 6}, within(1e-5f));
    assertThat(c.pointCount()).isEqualTo(9);
    assertThat(c.pointScores()).containsExactly(0.9f, 0f, 0f, 0f, 0.6f, 0f, 0f, 0f, 0.3f);
    // voters at their peaks, the others at their grid positions on the fused box
    assertThat(c.points()).containsExactly(
        new float[] {2, 2, 5, 2, 8, 2, 2, 4, 5, 4, 8, 4, 2, 6, 5, 6, 8, 6}, within(1e-5f));
  }

  @Test
  void boxIsTheScoreWeightedAverageAndDisagreeingBoxesStandAlone() {
    Map<String, INDArray> m = heads(1, 1, 12, 12);
    peak(m, 0, 0, 0, 2, 2, 0.9f, 8, 4); // (2, 2, 10, 6): IoU 0.75 with the center's box
    peak(m, 4, 0, 0, 5, 4, 0.6f, 6, 4); // (2, 2, 8, 6)
    peak(m, 8, 0, 0, 11, 11, 0.3f, 2, 2); // (9, 9, 11, 11): disjoint
    List<Candidate> out = decoder(1).decode(Heads.nchw(m)).get(0);
    assertThat(out).hasSize(2);
    Candidate a = out.get(0);
    assertThat(a.score()).isCloseTo(1.5f / 3, within(1e-6f));
    assertThat(a.x2()).isCloseTo((0.9f * 10 + 0.6f * 8) / 1.5f, within(1e-5f));
    assertThat(a.y2()).isCloseTo(6f, within(1e-6f));
    Candidate b = out.get(1);
    assertThat(b.score()).isCloseTo(0.1f, within(1e-6f));
    assertThat(box(b)).containsExactly(new float[] {9, 9, 11, 11}, within(1e-6f));
  }

  @Test
  void aPointVotesOnceAndClassesDoNotMix() {
    Map<String, INDArray> m = heads(1, 2, 12, 12);
    peak(m, 4, 0, 0, 5, 5, 0.8f, 6, 6); // (2, 2, 8, 8)
    peak(m, 4, 0, 0, 5, 7, 0.7f, 6, 6); // same point, (2, 4, 8, 10): IoU 0.5 -> absorbed, no vote
    put(m, "hm_p0", 0, 1, 2, 2, 0.9f); // class 1 top-left at (2, 2) with wh 0 there: its own group
    List<Candidate> out = decoder(2).decode(Heads.nchw(m)).get(0);
    Candidate cls0 = out.stream().filter(c -> c.classId() == 0 && c.score() > 0).findFirst().orElseThrow();
    assertThat(cls0.score()).isCloseTo(0.8f / 3, within(1e-6f));
    assertThat(box(cls0)).containsExactly(new float[] {2, 2, 8, 8}, within(1e-6f));
    assertThat(out.stream().filter(c -> c.score() > 0).count()).isEqualTo(2);
    assertThat(out.get(0).classId()).isEqualTo(1);
    assertThat(out.get(0).score()).isCloseTo(0.3f, within(1e-6f));
  }

  @Test
  void withoutRegPointsSitAtCellCentersAndMaxDetectionsCaps() {
    Map<String, INDArray> m = heads(1, 1, 6, 6);
    m.remove("reg");
    peak(m, 4, 0, 0, 0, 0, 0.5f, 2, 2); // corner peak: point (0.5, 0.5), box (-0.5, -0.5, 1.5, 1.5)
    GridPointsDecoder d = new GridPointsDecoder(GridPointsDecoder.Config.defaults().withK(4).withMaxDetections(2));
    List<Candidate> out = d.decode(Heads.nchw(m)).get(0);
    assertThat(out).hasSize(2);
    assertThat(box(out.get(0))).containsExactly(new float[] {-0.5f, -0.5f, 1.5f, 1.5f}, within(1e-6f));
  }

  @Test
  void plateauBatchAndBackground() {
    Map<String, INDArray> m = heads(2, 1, 8, 8);
    m.remove("hm_p0");
    m.remove("hm_p8"); // center point only: P = 1, plain ctdet
    peak(m, 4, 0, 0, 3, 3, 0.7f, 2, 2);
    peak(m, 4, 0, 0, 4, 3, 0.7f, 2, 2); // plateau neighbour: both survive NMS; IoU 1/3 < 0.5 -> two boxes
    List<List<Candidate>> out = decoder(3).decode(Heads.nchw(m));
    List<Candidate> a = out.get(0);
    assertThat(a.get(0).score()).isEqualTo(0.7f);
    assertThat(a.get(1).score()).isEqualTo(0.7f);
    assertThat(a.get(2).score()).isZero();
    assertThat(out.get(1)).allSatisfy(c -> assertThat(c.score()).isZero());
  }

  @Test
  void badInputAndConfig() {
    Map<String, INDArray> m = new HashMap<>();
    m.put("wh", Nd4j.zeros(DataType.FLOAT, 1, 2, 4, 4));
    m.put("hm", Nd4j.zeros(DataType.FLOAT, 1, 1, 4, 4));
    assertThatThrownBy(() -> decoder(2).decode(Heads.nchw(m)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("hm_p0..hm_p8")
        .hasMessageContaining("wh");
    Map<String, INDArray> m2 = heads(1, 1, 4, 4);
    m2.put("hm_p8", Nd4j.zeros(DataType.FLOAT, 1, 1, 5, 4));
    assertThatThrownBy(() -> decoder(2).decode(Heads.nchw(m2))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[1, 1, 5, 4]");
    Map<String, INDArray> m3 = heads(1, 1, 4, 4);
    m3.remove("wh");
    assertThatThrownBy(() -> decoder(2).decode(Heads.nchw(m3))).isInstanceOf(InvalidInputException.class);
    Map<String, INDArray> m4 = heads(1, 1, 4, 4);
    put(m4, "hm_p4", 0, 0, 1, 1, Float.NaN);
    assertThatThrownBy(() -> decoder(2).decode(Heads.nchw(m4))).isInstanceOf(InvalidInputException.class);
    Map<String, INDArray> m5 = heads(1, 1, 4, 4);
    put(m5, "hm_p4", 0, 0, 1, 1, 0.5f);
    put(m5, "wh", 0, 0, 1, 1, Float.NaN);
    assertThatThrownBy(() -> decoder(2).decode(Heads.nchw(m5))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> decoder(17).decode(Heads.nchw(heads(1, 1, 4, 4))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> GridPointsDecoder.Config.defaults().withK(0)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> GridPointsDecoder.Config.defaults().withIouThreshold(1.1f))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> GridPointsDecoder.Config.defaults().withMaxDetections(0))
        .isInstanceOf(InvalidConfigException.class);
  }
}
