package io.github.keydet.core.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.decode.GridNeighborDecoder.BoxGeometry;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link GridNeighborDecoder} against the upstream {@code gridneighbordet_decode} (Wastoon/CenterNet-Multi-Func-Det)
 * run by {@code tools/testdata/enhanced_centernet_refs.py}: C = 1, 2, 3, 4, 13, 80; flag sets of every size from one
 * point to all nine, unsorted ones too; with and without {@code reg}; K = 1, K = H·W on a 2x3 map, K beyond the number of peaks;
 * planted corner and border peaks, a plateau and equal scores in two classes. {@link BoxGeometry#CENTERED} is
 * compared with the upstream function as it is, {@link BoxGeometry#TRAINING} with its commented-out (training)
 * box formula. Per point flag, the rows with a positive score (zero-score rows are suppressed cells whose order
 * the upstream leaves open) must have the same scores in the same order, and the same class and box within 1e-5
 * (tied scores compared as sets); both layouts.
 */
class GridNeighborReferenceTest {

  @Test
  void equalsUpstreamDecoderOnEveryCase() {
    int compared = 0;
    for (Map.Entry<String, JsonNode> e : EnhancedReference.cases("gridneighbor").entrySet()) {
      JsonNode meta = e.getValue();
      int[] flags = new int[meta.get("point_flags").size()];
      for (int i = 0; i < flags.length; i++) {
        flags[i] = meta.get("point_flags").get(i).asInt();
      }
      int k = meta.get("K").asInt();
      Map<String, INDArray> arrays = EnhancedReference.arrays(e.getKey());
      for (BoxGeometry geometry : BoxGeometry.values()) {
        INDArray dets = arrays.get("dets_" + geometry.name().toLowerCase(java.util.Locale.ROOT));
        for (Layout layout : Layout.values()) {
          GridNeighborDecoder decoder = new GridNeighborDecoder(GridNeighborDecoder.Config.defaults().withK(k)
              .withFlags(flags).withGeometry(geometry).withLayout(layout));
          List<Candidate> got = decoder.decode(EnhancedReference.heads(arrays, layout)).get(0);
          assertThat(got).as(e.getKey()).hasSize(flags.length * k);
          for (int p = 0; p < flags.length; p++) {
            compared += comparePoint(e.getKey() + " " + geometry + " " + layout + " flag " + flags[p], dets,
                got, p, flags[p], flags.length, k);
          }
        }
      }
    }
    assertThat(compared).isGreaterThan(1000);
  }

  private static int comparePoint(
      String what, INDArray dets, List<Candidate> got, int p, int flag, int points, int k) {
    List<float[]> expected = new ArrayList<>();
    for (int r = 0; r < k; r++) {
      float[] row = EnhancedReference.row(dets, r);
      float score = row[4 * points + p];
      if (score > 0) {
        expected.add(new float[] {row[4 * p], row[4 * p + 1], row[4 * p + 2], row[4 * p + 3], score,
            row[5 * points + p]});
      }
    }
    List<Candidate> mine = got.stream().filter(c -> c.pointId() == flag && c.score() > 0).toList();
    org.assertj.core.api.Assertions.assertThat(mine).as(what).hasSize(expected.size());
    try {
      Rows.assertSameRows(expected.toArray(new float[0][]), Rows.of(mine, 1f), 1e-5);
    } catch (AssertionError err) {
      throw new AssertionError(what + ": " + err.getMessage(), err);
    }
    for (Candidate c : mine) {
      assertThat(c.points()).as(what).hasSize(2);
      assertThat(c.pointScores()).as(what).containsExactly(c.score());
    }
    return expected.size();
  }

  @Test
  void outputIsBestFirstOverAllPoints() {
    Map<String, INDArray> arrays = EnhancedReference.arrays("gn_c3_048_reg");
    List<Candidate> got = new GridNeighborDecoder(GridNeighborDecoder.Config.defaults().withK(10))
        .decode(EnhancedReference.heads(arrays, Layout.NCHW)).get(0);
    for (int i = 1; i < got.size(); i++) {
      assertThat(got.get(i).score()).isLessThanOrEqualTo(got.get(i - 1).score());
    }
    assertThat(got.stream().map(Candidate::pointId).distinct().sorted().toList()).containsExactly(0, 4, 8);
  }

  @Test
  void badFlagsNameTheValue() {
    assertThatThrownBy(() -> GridNeighborDecoder.parseFlags("0,9"))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("9").hasMessageContaining("0..8");
    assertThatThrownBy(() -> GridNeighborDecoder.parseFlags("-1"))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("-1");
    assertThatThrownBy(() -> GridNeighborDecoder.parseFlags("0,4,4"))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("4 is repeated");
    assertThatThrownBy(() -> GridNeighborDecoder.parseFlags("0,x"))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("'x'");
    assertThatThrownBy(() -> GridNeighborDecoder.parseFlags(" "))
        .isInstanceOf(InvalidConfigException.class);
    assertThat(GridNeighborDecoder.parseFlags("0, 4, 8")).containsExactly(0, 4, 8);
  }

  @Test
  void channelCountsMustBeCTimesPAndTwoP() {
    GridNeighborDecoder d = new GridNeighborDecoder(GridNeighborDecoder.Config.defaults().withK(2));
    INDArray hm7 = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 7, 4, 4);
    INDArray hm6 = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 6, 4, 4);
    INDArray wh6 = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 6, 4, 4);
    INDArray wh2 = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 2, 4, 4);
    assertThatThrownBy(() -> d.decode(Heads.nchw(Map.of("hm", hm7, "wh", wh6))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("C·P").hasMessageContaining("P = 3")
        .hasMessageContaining("got 7");
    assertThatThrownBy(() -> d.decode(Heads.nchw(Map.of("hm", hm6, "wh", wh2))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'wh' must have 2P = 6")
        .hasMessageContaining("got 2");
    assertThatThrownBy(() -> d.decode(Heads.nchw(Map.of("hm", hm6, "wh", wh6, "reg", wh2))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'reg' must have 2P = 6");
    assertThatThrownBy(() -> d.decode(Heads.nchw(Map.of("hm", hm6))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("missing head 'wh'");
    assertThat(d.decode(Heads.nchw(Map.of("hm", hm6, "wh", wh6))).get(0)).hasSize(6);
  }

  @Test
  void mirrorFlags() {
    assertThat(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}).satisfies(a -> {
      for (int f : a) {
        assertThat(GridNeighborDecoder.mirrorFlag(GridNeighborDecoder.mirrorFlag(f))).isEqualTo(f);
      }
    });
    assertThat(GridNeighborDecoder.mirrorFlag(0)).isEqualTo(2);
    assertThat(GridNeighborDecoder.mirrorFlag(4)).isEqualTo(4);
    assertThat(GridNeighborDecoder.mirrorFlag(6)).isEqualTo(8);
  }
}
