package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.image.ImageFrame;

import static io.github.keydet.core.decode.CornerNetFamilyTestData.array;
import static io.github.keydet.core.decode.CornerNetFamilyTestData.filled;
import static io.github.keydet.core.decode.CornerNetFamilyTestData.sig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.image.ImageTransform;
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

  /** Map cell x -> image x = (4x - offset) / scale. */
  private static ImageFrame frame(double scale, double offset, int width, int height) {
    return new ImageFrame(new ImageTransform(scale, scale, offset, offset, width, height), 4);
  }

  @Test
  void imageFrameMeasuresTheAreaInImagePixels() {
    // box 3..14 cells; the n = 3 region is 6.67 .. 10.33 cells, the n = 5 region 7.4 .. 9.6: center cell 7 is
    // inside the first only
    Triplets t = new Triplets(1, 1, 16, 16).box(0, 0, 3, 3, 14, 14).center(0, 0, 7, 7, 0.5f);
    Heads heads = t.heads(false);
    TripletsDecoder d = decoder(1, 1); // map-cell area 121 <= 22500: n = 3, kept
    assertThat(d.decode(heads).get(0)).hasSize(1);
    // 44 input px a side at scale 0.125 -> 352 image px, area 123904 > 22500: n = 5, dropped
    TripletsDecoder.Run big = d.run(heads, 0, frame(0.125, 0, 1000, 1000));
    assertThat(d.match(List.of(big), List.of(big)).get(0)).isEmpty();
    // scale 1: 44 px a side, area 1936: n = 3, kept; box and point stay in map cells
    TripletsDecoder.Run same = d.run(heads, 0, frame(1, 0, 1000, 1000));
    List<Candidate> kept = d.match(List.of(same), List.of(same)).get(0);
    assertThat(kept).hasSize(1);
    assertThat(new float[] {kept.get(0).x1(), kept.get(0).y1(), kept.get(0).x2(), kept.get(0).y2()})
        .isEqualTo(new float[] {3f, 3f, 14f, 14f});
    assertThat(kept.get(0).points()).containsExactly(7f, 7f);
  }

  @Test
  void imageFrameDropsBoxesFivePixelsOutsideAndClipsTheRest() {
    // box 3..14 cells = 12..56 input px, center cell 8 = 32 input px; image x = input x - offset
    Triplets t = new Triplets(1, 1, 16, 16).box(0, 0, 3, 3, 14, 14).center(0, 0, 8, 8, 0.5f);
    Heads heads = t.heads(false);
    TripletsDecoder d = decoder(1, 1);
    // image 51 px wide: x2 = 56 >= 51 + 5, dropped as _rescale_dets scores it -1
    TripletsDecoder.Run out = d.run(heads, 0, frame(1, 0, 51, 100));
    assertThat(d.match(List.of(out), List.of(out)).get(0)).isEmpty();
    // image 52 px wide: kept, x clipped to 12..52, region 25.33 .. 38.67 holds the center's 32
    TripletsDecoder.Run clipped = d.run(heads, 0, frame(1, 0, 52, 100));
    assertThat(d.match(List.of(clipped), List.of(clipped)).get(0)).hasSize(1);
    // top-left exactly 5 px outside (offset 17: x1 = -5) drops it
    TripletsDecoder.Run left = d.run(heads, 0, frame(1, 17, 200, 200));
    assertThat(d.match(List.of(left), List.of(left)).get(0)).isEmpty();
    // 4.99 px outside is kept: clipped to 0..39.01, region 13.0 .. 26.0 holds the center's 15.01
    TripletsDecoder.Run almost = d.run(heads, 0, frame(1, 16.99, 200, 200));
    assertThat(d.match(List.of(almost), List.of(almost)).get(0)).hasSize(1);
  }

  @Test
  void clippingTheBoxMovesItsCentralRegion() {
    // box 2..14 cells = 8..56 input px in a 52 px image: clipped to 8..52, n = 3 region 22.67 .. 37.33, which
    // holds center cell 6 (24 px); the unclipped region, 24 .. 40, does not (strict)
    Triplets t = new Triplets(1, 1, 16, 16).box(0, 0, 2, 2, 14, 14).center(0, 0, 6, 6, 0.5f);
    Heads heads = t.heads(false);
    TripletsDecoder d = decoder(1, 1);
    assertThat(d.decode(heads).get(0)).isEmpty(); // map cells, unclipped: 6 is on the region's edge
    TripletsDecoder.Run r = d.run(heads, 0, frame(1, 0, 52, 52));
    List<Candidate> kept = d.match(List.of(r), List.of(r)).get(0);
    assertThat(kept).hasSize(1);
    assertThat(kept.get(0).x2()).isEqualTo(14f); // the candidate box stays unclipped, in map cells
  }

  @Test
  void runsPoolTheirCentersAndMirroredRunsFlipBack() {
    // run A has the box and no center, run B (same image) only the center: pooled, A's box is kept with B's center
    Triplets a = new Triplets(1, 1, 16, 16).box(0, 0, 2, 2, 11, 11);
    Triplets b = new Triplets(1, 1, 16, 16).center(0, 0, 6, 7, 0.5f);
    TripletsDecoder d = decoder(1, 1);
    ImageFrame f = frame(1, 0, 64, 64);
    TripletsDecoder.Run ra = d.run(a.heads(false), 0, f);
    TripletsDecoder.Run rb = d.run(b.heads(false), 0, f);
    assertThat(d.match(List.of(ra), List.of(ra)).get(0)).isEmpty();
    List<List<Candidate>> pooled = d.match(List.of(ra, rb), List.of(ra, rb));
    assertThat(pooled.get(0)).hasSize(1);
    assertThat(pooled.get(0).get(0).points()).containsExactly(6f, 7f);
    assertThat(pooled.get(1)).isEmpty(); // B has no pairs of its own
    // mirrored: x -> 16 - x, corners swap; the center follows
    Triplets m = new Triplets(1, 1, 16, 16).box(0, 0, 5, 2, 14, 11).center(0, 0, 10, 7, 0.5f);
    TripletsDecoder.Run rm = d.run(m.heads(false), 0, f).mirrored(16);
    List<Candidate> back = d.match(List.of(rm), List.of(rm)).get(0);
    assertThat(back).hasSize(1);
    Candidate c = back.get(0);
    assertThat(new float[] {c.x1(), c.y1(), c.x2(), c.y2()}).isEqualTo(new float[] {2f, 2f, 11f, 11f});
    assertThat(c.points()).containsExactly(6f, 7f);
    // frames on some runs only
    TripletsDecoder.Run noFrame = d.run(a.heads(false), 0, null);
    assertThatThrownBy(() -> d.match(List.of(ra), List.of(noFrame)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("image frame");
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
