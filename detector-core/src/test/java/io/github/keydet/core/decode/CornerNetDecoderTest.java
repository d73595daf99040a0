package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;

import static io.github.keydet.core.decode.CornerNetFamilyTestData.array;
import static io.github.keydet.core.decode.CornerNetFamilyTestData.filled;
import static io.github.keydet.core.decode.CornerNetFamilyTestData.sig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class CornerNetDecoderTest {
  private static final float BG = -5f;

  /** Mutable hand-built corner heads, [n, c, h, w]. */
  static final class Corners {
    final float[][][][] tl;
    final float[][][][] br;
    final float[][][][] tlTag;
    final float[][][][] brTag;
    final float[][][][] tlRegr;
    final float[][][][] brRegr;

    Corners(int n, int c, int h, int w, float background) {
      tl = filled(n, c, h, w, background);
      br = filled(n, c, h, w, background);
      tlTag = filled(n, 1, h, w, 0f);
      brTag = filled(n, 1, h, w, 0f);
      tlRegr = filled(n, 2, h, w, 0f);
      brRegr = filled(n, 2, h, w, 0f);
    }

    Map<String, INDArray> map(boolean offsets) {
      Map<String, INDArray> m = new HashMap<>();
      m.put("tl_heat", array(tl));
      m.put("br_heat", array(br));
      m.put("tl_tag", array(tlTag));
      m.put("br_tag", array(brTag));
      if (offsets) {
        m.put("tl_regr", array(tlRegr));
        m.put("br_regr", array(brRegr));
      }
      return m;
    }

    Heads heads(boolean offsets) {
      return Heads.nchw(map(offsets));
    }
  }

  private static CornerNetDecoder decoder(int k) {
    return new CornerNetDecoder(CornerNetDecoder.Config.defaults().withK(k));
  }

  @Test
  void pairsMatchingCornersAppliesOffsetsAndRejectsTheRest() {
    Corners h = new Corners(1, 1, 6, 6, BG);
    h.tl[0][0][1][1] = 2f; // A, tag 1.0, offset (0.25, 0.5)
    h.tlTag[0][0][1][1] = 1.0f;
    h.tlRegr[0][0][1][1] = 0.25f;
    h.tlRegr[0][1][1][1] = 0.5f;
    h.tl[0][0][4][4] = 1f; // B, tag 5: too far from every br tag
    h.tlTag[0][0][4][4] = 5f;
    h.br[0][0][4][4] = 3f; // C, tag 1.2, offset (0.5, 0.75)
    h.brTag[0][0][4][4] = 1.2f;
    h.brRegr[0][0][4][4] = 0.5f;
    h.brRegr[0][1][4][4] = 0.75f;
    h.br[0][0][2][0] = 0.5f; // D: left of A
    h.brTag[0][0][2][0] = 1.0f;

    List<Candidate> out = decoder(2).decode(h.heads(true)).get(0);

    assertThat(out).hasSize(1);
    Candidate c = out.get(0);
    assertThat(new float[] {c.x1(), c.y1(), c.x2(), c.y2()}).isEqualTo(new float[] {1.25f, 1.5f, 4.5f, 4.75f});
    assertThat(c.score()).isEqualTo((sig(2) + sig(3)) / 2f);
    assertThat(c.classId()).isZero();
    assertThat(c.pointCount()).isZero();
  }

  @Test
  void withoutOffsetsCornersAreIntegerCells() {
    Corners h = new Corners(1, 1, 6, 6, BG);
    h.tl[0][0][1][2] = 2f;
    h.br[0][0][4][5] = 2f;
    Candidate c = decoder(1).decode(h.heads(false)).get(0).get(0);
    assertThat(new float[] {c.x1(), c.y1(), c.x2(), c.y2()}).isEqualTo(new float[] {2f, 1f, 5f, 4f});
  }

  @Test
  void rejectsClassMismatchAndTagDistanceAboveThresholdStrictly() {
    Corners h = new Corners(1, 2, 6, 6, BG);
    h.tl[0][0][1][1] = 2f; // class 0
    h.br[0][1][4][4] = 2f; // class 1: mismatch
    assertThat(decoder(1).decode(h.heads(false)).get(0)).isEmpty();

    Corners g = new Corners(1, 1, 6, 6, BG);
    g.tl[0][0][1][1] = 2f;
    g.br[0][0][4][4] = 2f;
    g.tlTag[0][0][1][1] = 0.25f;
    g.brTag[0][0][4][4] = 0.75f; // |diff| = 0.5 exactly: kept (strict >)
    assertThat(decoder(1).decode(g.heads(false)).get(0)).hasSize(1);
    g.brTag[0][0][4][4] = 0.7500001f;
    assertThat(decoder(1).decode(g.heads(false)).get(0)).isEmpty();
  }

  @Test
  void rejectsBrLeftOfOrAboveTlAfterOffsetsButKeepsEqual() {
    Corners h = new Corners(1, 1, 6, 6, BG);
    h.tl[0][0][2][3] = 2f;
    h.br[0][0][4][3] = 2f; // same column
    h.tlRegr[0][0][2][3] = 0.6f;
    h.brRegr[0][0][4][3] = 0.5f; // br_x 3.5 < tl_x 3.6
    assertThat(decoder(1).decode(h.heads(true)).get(0)).isEmpty();
    h.brRegr[0][0][4][3] = 0.6f; // equal: kept
    assertThat(decoder(1).decode(h.heads(true)).get(0)).hasSize(1);

    Corners v = new Corners(1, 1, 6, 6, BG);
    v.tl[0][0][3][1] = 2f;
    v.br[0][0][2][4] = 2f; // above
    assertThat(decoder(1).decode(v.heads(false)).get(0)).isEmpty();
  }

  @Test
  void borderRejectionIsOptional() {
    Corners h = new Corners(1, 1, 6, 6, BG);
    h.tl[0][0][0][2] = 2f; // top row
    h.br[0][0][4][4] = 2f;
    CornerNetDecoder.Config cfg = CornerNetDecoder.Config.defaults().withK(1);
    assertThat(new CornerNetDecoder(cfg).decode(h.heads(false)).get(0)).hasSize(1);
    assertThat(new CornerNetDecoder(cfg.withRejectBorder(true)).decode(h.heads(false)).get(0)).isEmpty();

    Corners g = new Corners(1, 1, 6, 6, BG);
    g.tl[0][0][1][1] = 2f;
    g.br[0][0][3][5] = 2f; // right column
    assertThat(new CornerNetDecoder(cfg.withRejectBorder(true)).decode(g.heads(false)).get(0)).isEmpty();
    g.br[0][0][3][5] = BG;
    g.br[0][0][5][3] = 2f; // bottom row
    assertThat(new CornerNetDecoder(cfg.withRejectBorder(true)).decode(g.heads(false)).get(0)).isEmpty();
    assertThat(new CornerNetDecoder(cfg).decode(g.heads(false)).get(0)).hasSize(1);
  }

  @Test
  void plateauOfEqualMaximaAllSurviveNms() {
    Corners h = new Corners(1, 1, 6, 6, BG);
    h.tl[0][0][1][1] = 3f;
    h.tl[0][0][1][2] = 3f; // adjacent, equal
    h.br[0][0][4][4] = 2f;
    List<Candidate> out = decoder(2).decode(h.heads(false)).get(0);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).x1()).isEqualTo(1f); // ties in memory order
    assertThat(out.get(1).x1()).isEqualTo(2f);
    assertThat(out.get(0).score()).isEqualTo(out.get(1).score());
  }

  @Test
  void fewerPeaksThanKFillsWithSuppressedZeroScoreCorners() {
    // Each map rises towards its single peak, so every other cell is suppressed (score 0) and stays in the
    // top-K pool as in the original. Suppressed corners have tag 10, the peaks tag 0: only peak-peak and
    // suppressed-suppressed pairs agree. K = 5 takes the peak plus cells (0,0)..(0,3) of row 0, which pair
    // with each other when br_x >= tl_x: 4 + 3 + 2 + 1 = 10 zero-score pairs.
    Corners h = new Corners(1, 1, 8, 8, 0f);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        h.tl[0][0][y][x] = 5f - Math.abs(y - 3) - Math.abs(x - 3);
        h.br[0][0][y][x] = 5f - Math.abs(y - 6) - Math.abs(x - 6);
        h.tlTag[0][0][y][x] = 10f;
        h.brTag[0][0][y][x] = 10f;
      }
    }
    h.tlTag[0][0][3][3] = 0f;
    h.brTag[0][0][6][6] = 0f;
    List<Candidate> out = decoder(5).decode(h.heads(false)).get(0);
    assertThat(out).hasSize(11);
    assertThat(out.get(0).score()).isEqualTo(sig(5));
    assertThat(new float[] {out.get(0).x1(), out.get(0).y1(), out.get(0).x2(), out.get(0).y2()})
        .isEqualTo(new float[] {3f, 3f, 6f, 6f});
    for (Candidate c : out.subList(1, 11)) {
      assertThat(c.score()).isZero();
      assertThat(c.y1()).isZero();
      assertThat(c.y2()).isZero();
      assertThat(c.x2()).isGreaterThanOrEqualTo(c.x1());
    }
  }

  @Test
  void allBackgroundMapPairsEveryPlateauCornerLikeTheOriginal() {
    // A constant map is one plateau: all 9 cells survive. Valid pairs need br >= tl on both axes:
    // 6 ordered pairs per axis of 3 cells -> 36, all scored sigmoid(-3).
    Corners h = new Corners(1, 1, 3, 3, -3f);
    List<Candidate> out = decoder(9).decode(h.heads(false)).get(0);
    assertThat(out).hasSize(36);
    assertThat(out).allSatisfy(c -> assertThat(c.score()).isEqualTo(sig(-3)));
    CornerNetDecoder capped = new CornerNetDecoder(CornerNetDecoder.Config.defaults().withK(9).withNumDets(5));
    assertThat(capped.decode(h.heads(false)).get(0)).hasSize(5);
  }

  @Test
  void batchItemsAreDecodedSeparately() {
    Corners h = new Corners(2, 1, 6, 6, BG);
    h.tl[0][0][1][1] = 2f;
    h.br[0][0][4][4] = 2f;
    h.tl[1][0][0][2] = 1f;
    h.br[1][0][3][5] = 1f;
    List<List<Candidate>> out = decoder(1).decode(h.heads(false));
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).hasSize(1);
    assertThat(out.get(1)).hasSize(1);
    assertThat(out.get(0).get(0).x1()).isEqualTo(1f);
    assertThat(out.get(1).get(0).x1()).isEqualTo(2f);
    assertThat(out.get(1).get(0).x2()).isEqualTo(5f);
    assertThat(out.get(1).get(0).score()).isEqualTo(sig(1));
  }

  @Test
  void nhwcHeadsDecodeLikeNchw() {
    Corners h = new Corners(1, 2, 6, 7, BG);
    java.util.Random rnd = new java.util.Random(7); // distinct values: tie order is memory order, which differs
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < 6; y++) {
        for (int x = 0; x < 7; x++) {
          h.tl[0][c][y][x] = -5f + (float) rnd.nextGaussian();
          h.br[0][c][y][x] = -5f + (float) rnd.nextGaussian();
        }
      }
    }
    h.tl[0][1][1][1] = 2f;
    h.br[0][1][4][5] = 1f;
    h.tlRegr[0][0][1][1] = 0.3f;
    h.brRegr[0][1][4][5] = 0.7f;
    Map<String, INDArray> nchw = h.map(true);
    Map<String, INDArray> nhwc = new HashMap<>();
    nchw.forEach((k, v) -> nhwc.put(k, v.permute(0, 2, 3, 1).dup('c')));
    List<Candidate> a = decoder(6).decode(Heads.nchw(nchw)).get(0);
    List<Candidate> b = decoder(6).decode(new Heads(nhwc, Layout.NHWC)).get(0);
    assertThat(a).hasSizeGreaterThan(1);
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).score()).isEqualTo(a.get(i).score());
      assertThat(b.get(i).x2()).isEqualTo(a.get(i).x2());
      assertThat(b.get(i).y2()).isEqualTo(a.get(i).y2());
      assertThat(b.get(i).classId()).isEqualTo(a.get(i).classId());
    }
  }

  @Test
  void matchesNumpyPortOfUpstreamDecode() {
    Heads heads = CornerNetFamilyTestData.readHeads("/decode/cornernet/heads.txt");
    List<float[]> rows = CornerNetFamilyTestData.readRows("/decode/cornernet/expected.txt");
    List<List<Candidate>> out = decoder(20).decode(heads);
    assertRows(out, rows, 0);
  }

  /** Compares decoder output with "n score class x1 y1 x2 y2 [points] [point scores]" rows, in order. */
  static void assertRows(List<List<Candidate>> out, List<float[]> rows, int points) {
    int total = out.stream().mapToInt(List::size).sum();
    assertThat(total).as("candidate count").isEqualTo(rows.size());
    int[] next = new int[out.size()];
    for (float[] row : rows) {
      int n = (int) row[0];
      Candidate c = out.get(n).get(next[n]++);
      assertThat(c.score()).as("score").isCloseTo(row[1], within(1e-6f));
      assertThat(c.classId()).as("class").isEqualTo((int) row[2]);
      assertThat(c.x1()).isCloseTo(row[3], within(1e-5f));
      assertThat(c.y1()).isCloseTo(row[4], within(1e-5f));
      assertThat(c.x2()).isCloseTo(row[5], within(1e-5f));
      assertThat(c.y2()).isCloseTo(row[6], within(1e-5f));
      for (int i = 0; i < 2 * points; i++) {
        assertThat(c.points()[i]).as("point coordinate " + i).isCloseTo(row[7 + i], within(1e-5f));
      }
      for (int i = 0; i < points; i++) {
        assertThat(c.pointScores()[i]).as("point score " + i).isCloseTo(row[7 + 2 * points + i], within(1e-6f));
      }
    }
  }

  @Test
  void badInputIsATypedError() {
    Corners h = new Corners(1, 1, 6, 6, BG);
    Map<String, INDArray> m = h.map(true);
    m.remove("br_tag");
    assertThatThrownBy(() -> decoder(2).decode(Heads.nchw(m)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("br_tag");

    Map<String, INDArray> wrong = h.map(false);
    wrong.put("br_heat", array(filled(1, 1, 6, 7, 0f)));
    assertThatThrownBy(() -> decoder(2).decode(Heads.nchw(wrong)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[1, 1, 6, 7]")
        .hasMessageContaining("[1, 1, 6, 6]");

    Map<String, INDArray> oneRegr = h.map(true);
    oneRegr.remove("br_regr");
    assertThatThrownBy(() -> decoder(2).decode(Heads.nchw(oneRegr))).isInstanceOf(InvalidInputException.class);

    Corners nan = new Corners(1, 1, 6, 6, BG);
    nan.tl[0][0][2][2] = Float.NaN;
    assertThatThrownBy(() -> decoder(2).decode(nan.heads(false)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("NaN");
    Corners nanTag = new Corners(1, 1, 6, 6, BG);
    nanTag.tl[0][0][2][2] = 3f;
    nanTag.tlTag[0][0][2][2] = Float.NaN;
    assertThatThrownBy(() -> decoder(1).decode(nanTag.heads(false)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tl_tag");

    assertThatThrownBy(() -> decoder(37).decode(h.heads(false))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> CornerNetDecoder.Config.defaults().withK(0)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> CornerNetDecoder.Config.defaults().withKernel(2))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> CornerNetDecoder.Config.defaults().withNumDets(0))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> CornerNetDecoder.Config.defaults().withAeThreshold(Double.NaN))
        .isInstanceOf(InvalidConfigException.class);
  }
}
