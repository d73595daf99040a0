package io.github.keydet.core.decode;

import static io.github.keydet.core.decode.CornerNetFamilyTestData.array;
import static io.github.keydet.core.decode.CornerNetFamilyTestData.filled;
import static io.github.keydet.core.decode.CornerNetFamilyTestData.sig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class TripletsDecoderTest {
  private static final float BG = -6f;

  /** Corner heads plus a center map; no offsets unless set. */
  static final class Triplets {
    final CornerNetDecoderTest.Corners corners;
    final float[][][][] ct;
    final float[][][][] ctRegr;

    Triplets(int n, int c, int h, int w) {
      corners = new CornerNetDecoderTest.Corners(n, c, h, w, BG);
      ct = filled(n, c, h, w, BG);
      ctRegr = filled(n, 2, h, w, 0f);
    }

    /** A box from (x1, y1) to (x2, y2) of class c, corner logits 2 and 1. */
    Triplets box(int n, int c, int x1, int y1, int x2, int y2) {
      corners.tl[n][c][y1][x1] = 2f;
      corners.br[n][c][y2][x2] = 1f;
      return this;
    }

    Triplets center(int n, int c, int x, int y, float logit) {
      ct[n][c][y][x] = logit;
      return this;
    }

    Heads heads(boolean offsets) {
      Map<String, INDArray> m = corners.map(offsets);
      m.put("ct_heat", array(ct));
      if (offsets) {
        m.put("ct_regr", array(ctRegr));
      }
      return Heads.nchw(m);
    }
  }

  private static TripletsDecoder decoder(int k, double cellSize) {
    return new TripletsDecoder(TripletsDecoder.Config.defaults().withK(k).withCellSize(cellSize));
  }

  @Test
  void keepsPairWithCenterInCentralRegionAndAveragesTheThreeScores() {
    // box 2..11: small (area 81 at cell size 1), region (2*2 + 11)/3 = 5 .. (2 + 2*11)/3 = 8, strict
    Triplets t = new Triplets(1, 1, 16, 16).box(0, 0, 2, 2, 11, 11).center(0, 0, 6, 7, 0.5f);
    List<Candidate> out = decoder(1, 1).decode(t.heads(false)).get(0);
    assertThat(out).hasSize(1);
    Candidate c = out.get(0);
    assertThat(new float[] {c.x1(), c.y1(), c.x2(), c.y2()}).isEqualTo(new float[] {2f, 2f, 11f, 11f});
    float pair = (sig(2) + sig(1)) / 2f;
    assertThat(c.score()).isEqualTo((pair * 2 + sig(0.5)) / 3);
    assertThat(c.points()).isEqualTo(new float[] {6f, 7f});
    assertThat(c.pointScores()).isEqualTo(new float[] {sig(0.5)});
  }

  @Test
  void centerOnTheRegionBoundaryOrOfAnotherClassDoesNotCount() {
    Triplets onEdge = new Triplets(1, 1, 16, 16).box(0, 0, 2, 2, 11, 11).center(0, 0, 5, 6, 0.5f); // x = 5
    assertThat(decoder(1, 1).decode(onEdge.heads(false)).get(0)).isEmpty();

    Triplets otherClass = new Triplets(1, 2, 16, 16).box(0, 0, 2, 2, 11, 11).center(0, 1, 6, 6, 0.5f);
    assertThat(decoder(1, 1).decode(otherClass.heads(false)).get(0)).isEmpty();
  }

  @Test
  void largeBoxesUseTheNarrowerFifthRegion() {
    // box 2..12 (10 x 10 cells): small region 5.33..8.67, large region (3*2 + 2*12)/5 = 6 .. 8.
    // Center at x = y = 6: inside the small region, on the large region's boundary.
    Triplets t = new Triplets(1, 1, 16, 16).box(0, 0, 2, 2, 12, 12).center(0, 0, 6, 6, 0.5f);
    assertThat(decoder(1, 15).decode(t.heads(false)).get(0)).hasSize(1); // 100 * 225 = 22500 px²: small
    assertThat(decoder(1, 15.01).decode(t.heads(false)).get(0)).isEmpty(); // just above: large
    Triplets inside = new Triplets(1, 1, 16, 16).box(0, 0, 2, 2, 12, 12).center(0, 0, 7, 7, 0.5f);
    assertThat(decoder(1, 16).decode(inside.heads(false)).get(0)).hasSize(1);
  }

  @Test
  void firstMatchingCenterInTopKOrderWinsAndOffsetsApply() {
    Triplets t = new Triplets(1, 1, 16, 16).box(0, 0, 2, 2, 11, 11);
    t.center(0, 0, 6, 6, 0.2f).center(0, 0, 7, 7, 1.5f).center(0, 0, 12, 12, 3f); // best center is outside
    t.ctRegr[0][0][7][7] = 0.25f;
    t.ctRegr[0][1][7][7] = 0.75f;
    List<Candidate> out = decoder(3, 1).decode(t.heads(true)).get(0);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).points()).isEqualTo(new float[] {7.25f, 7.75f});
    assertThat(out.get(0).pointScores()).isEqualTo(new float[] {sig(1.5)});
  }

  @Test
  void resultsAreSortedByTheNewScoreAndBatchesAreSeparate() {
    Triplets t = new Triplets(2, 1, 16, 16);
    t.box(0, 0, 1, 1, 7, 7).center(0, 0, 4, 4, -1f);
    t.corners.tl[0][0][9][9] = 0.5f; // a weaker pair with a strong center
    t.corners.br[0][0][15][15] = 0.5f;
    t.center(0, 0, 12, 12, 4f);
    t.corners.tlTag[0][0][9][9] = 3f; // tags keep the two boxes apart
    t.corners.brTag[0][0][15][15] = 3f;
    List<List<Candidate>> out = decoder(2, 1).decode(t.heads(false));
    assertThat(out.get(0)).hasSize(2);
    assertThat(out.get(0).get(0).x1()).isEqualTo(9f); // (0.62*2 + 0.98)/3 beats (0.8*2 + 0.27)/3
    assertThat(out.get(0).get(0).score()).isGreaterThan(out.get(0).get(1).score());
    assertThat(out.get(1)).isEmpty(); // all-background second image: plateau corners, no center inside any box
  }

  @Test
  void matchesNumpyPortOfUpstreamDecode() {
    Heads heads = CornerNetFamilyTestData.readHeads("/decode/triplets/heads.txt");
    Map<String, Double> cfg = CornerNetFamilyTestData.readConfig("/decode/triplets/config.txt");
    TripletsDecoder d =
        new TripletsDecoder(
            TripletsDecoder.Config.defaults()
                .withK(cfg.get("k").intValue())
                .withKernel(cfg.get("kernel").intValue())
                .withAeThreshold(cfg.get("ae_threshold"))
                .withNumDets(cfg.get("num_dets").intValue())
                .withCellSize(cfg.get("cell_size"))
                .withSmallBoxMaxArea(cfg.get("small_box_max_area")));
    CornerNetDecoderTest.assertRows(
        d.decode(heads), CornerNetFamilyTestData.readRows("/decode/triplets/expected.txt"), 1);
  }

  @Test
  void badInputIsATypedError() {
    Triplets t = new Triplets(1, 1, 8, 8);
    Map<String, INDArray> m = t.corners.map(true);
    m.put("ct_heat", array(t.ct));
    assertThatThrownBy(() -> decoder(2, 4).decode(Heads.nchw(m)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ct_regr");
    Map<String, INDArray> noCt = t.corners.map(false);
    assertThatThrownBy(() -> decoder(2, 4).decode(Heads.nchw(noCt)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ct_heat");
    Map<String, INDArray> wrong = t.corners.map(false);
    wrong.put("ct_heat", array(filled(1, 2, 8, 8, 0f)));
    assertThatThrownBy(() -> decoder(2, 4).decode(Heads.nchw(wrong)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[1, 2, 8, 8]")
        .hasMessageContaining("[1, 1, 8, 8]");
    Triplets nan = new Triplets(1, 1, 8, 8);
    nan.ct[0][0][3][3] = Float.NaN;
    assertThatThrownBy(() -> decoder(2, 4).decode(nan.heads(false)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> decoder(65, 4).decode(t.heads(false))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> TripletsDecoder.Config.defaults().withK(-1)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> TripletsDecoder.Config.defaults().withCellSize(0))
        .isInstanceOf(InvalidConfigException.class);
  }
}
