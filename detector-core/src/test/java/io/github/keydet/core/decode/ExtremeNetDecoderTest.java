package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ExtremeNetDecoderTest {
  private static final float BG = -6f;
  private static final String[] HEAT = {"t_heat", "l_heat", "b_heat", "r_heat"};
  private static final String[] REGR = {"t_regr", "l_regr", "b_regr", "r_regr"};

  /** Hand-built ExtremeNet heads: maps[0..3] = t, l, b, r; maps[4] = center. */
  static final class Extremes {
    final float[][][][][] maps = new float[5][][][][];
    final float[][][][][] regr = new float[4][][][][];

    Extremes(int n, int c, int h, int w) {
      for (int i = 0; i < 5; i++) {
        maps[i] = filled(n, c, h, w, BG);
      }
      for (int i = 0; i < 4; i++) {
        regr[i] = filled(n, 2, h, w, 0f);
      }
    }

    Extremes point(int map, int n, int c, int x, int y, float logit) {
      maps[map][n][c][y][x] = logit;
      return this;
    }

    Map<String, INDArray> map(boolean offsets) {
      Map<String, INDArray> m = new HashMap<>();
      for (int i = 0; i < 4; i++) {
        m.put(HEAT[i], array(maps[i]));
        if (offsets) {
          m.put(REGR[i], array(regr[i]));
        }
      }
      m.put("ct_heat", array(maps[4]));
      return m;
    }

    Heads heads(boolean offsets) {
      return Heads.nchw(map(offsets));
    }
  }

  private static ExtremeNetDecoder decoder(int k) {
    return new ExtremeNetDecoder(ExtremeNetDecoder.Config.defaults().withK(k).withAggrWeight(0));
  }

  /** t (5, 2), l (1, 6), b (6, 10), r (9, 5); center cell (int(10.5 / 2), int(12.5 / 2)) = (5, 6). */
  private static Extremes oneObject() {
    return new Extremes(1, 1, 12, 12)
        .point(0, 0, 0, 5, 2, 2f)
        .point(1, 0, 0, 1, 6, 1.5f)
        .point(2, 0, 0, 6, 10, 1f)
        .point(3, 0, 0, 9, 5, 0.5f)
        .point(4, 0, 0, 5, 6, 2f);
  }

  @Test
  void groupsFourExtremePointsWithTheirCenter() {
    List<Candidate> out = decoder(1).decode(oneObject().heads(false)).get(0);
    assertThat(out).hasSize(1);
    Candidate c = out.get(0);
    // no offsets: +0.5 as the original
    assertThat(new float[] {c.x1(), c.y1(), c.x2(), c.y2()}).isEqualTo(new float[] {1.5f, 2.5f, 9.5f, 10.5f});
    assertThat(c.points()).isEqualTo(new float[] {5.5f, 2.5f, 1.5f, 6.5f, 6.5f, 10.5f, 9.5f, 5.5f});
    assertThat(c.pointScores()).isEqualTo(new float[] {sig(2), sig(1.5), sig(1), sig(0.5)});
    assertThat(c.score()).isEqualTo((sig(2) + sig(1.5) + sig(1) + sig(0.5) + 2 * sig(2)) / 6);
    assertThat(c.classId()).isZero();
  }

  @Test
  void centerIsReadOnIntegerCellsWhileBoxUsesOffsets() {
    Extremes e = oneObject();
    for (int i = 0; i < 4; i++) {
      for (int y = 0; y < 12; y++) {
        for (int x = 0; x < 12; x++) {
          e.regr[i][0][0][y][x] = 0.9f;
          e.regr[i][0][1][y][x] = 0.1f;
        }
      }
    }
    List<Candidate> out = decoder(1).decode(e.heads(true)).get(0);
    assertThat(out).hasSize(1);
    Candidate c = out.get(0);
    assertThat(c.x1()).isCloseTo(1.9f, within(1e-6f));
    assertThat(c.y1()).isCloseTo(2.1f, within(1e-6f));
    assertThat(c.x2()).isCloseTo(9.9f, within(1e-6f));
    assertThat(c.y2()).isCloseTo(10.1f, within(1e-6f));
  }

  @Test
  void rejectsLowCenterLowExtremeAndWrongGeometryButAcceptsTies() {
    Extremes lowCenter = oneObject().point(4, 0, 0, 5, 6, -2.5f); // sigmoid 0.076 < 0.1
    assertThat(decoder(1).decode(lowCenter.heads(false)).get(0)).isEmpty();
    Extremes lowPoint = oneObject().point(3, 0, 0, 9, 5, -2.3f); // r: sigmoid 0.091 < 0.1
    assertThat(decoder(1).decode(lowPoint.heads(false)).get(0)).isEmpty();
    Extremes tBelowL = oneObject().point(1, 0, 0, 1, 6, BG).point(1, 0, 0, 1, 1, 1.5f); // l above t
    assertThat(decoder(1).decode(tBelowL.heads(false)).get(0)).isEmpty();
    Extremes lRightOfT = oneObject().point(1, 0, 0, 1, 6, BG).point(1, 0, 0, 6, 6, 1.5f); // l right of t
    assertThat(decoder(1).decode(lRightOfT.heads(false)).get(0)).isEmpty();
    // l at the same row as t and the same column as... (ties pass): l (1, 2): center (5, 6) unchanged
    Extremes tie = oneObject().point(1, 0, 0, 1, 6, BG).point(1, 0, 0, 1, 2, 1.5f);
    assertThat(decoder(1).decode(tie.heads(false)).get(0)).hasSize(1);
  }

  @Test
  void classesMustAgreeUnlessClassAgnostic() {
    Extremes e = new Extremes(1, 2, 12, 12)
        .point(0, 0, 0, 5, 2, 2f)
        .point(1, 0, 1, 1, 6, 1.5f) // l of class 1
        .point(2, 0, 0, 6, 10, 1f)
        .point(3, 0, 0, 9, 5, 0.5f)
        .point(4, 0, 1, 5, 6, 2f); // center of class 1 only
    assertThat(decoder(1).decode(e.heads(false)).get(0)).isEmpty();
    ExtremeNetDecoder agnostic =
        new ExtremeNetDecoder(ExtremeNetDecoder.Config.defaults().withK(1).withAggrWeight(0).withClassAgnostic(true));
    List<Candidate> out = agnostic.decode(e.heads(false)).get(0);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).classId()).isEqualTo(1); // argmax of the center map at the center cell
  }

  @Test
  void fewerPeaksThanKAndAllBackground() {
    // K = 6: the extra top-K entries are suppressed zeros or background plateau cells below the threshold.
    assertThat(decoder(6).decode(oneObject().heads(false)).get(0)).hasSize(1);
    Extremes bg = new Extremes(2, 3, 8, 8);
    List<List<Candidate>> out = new ExtremeNetDecoder(ExtremeNetDecoder.Config.defaults().withK(10)).decode(bg.heads(false));
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isEmpty();
    assertThat(out.get(1)).isEmpty();
  }

  @Test
  void plateauExtremePointsAllSurviveAndFormGroups() {
    Extremes e = oneObject().point(0, 0, 0, 6, 2, 2f); // a second, equal top point next to the first
    List<Candidate> out = decoder(2).decode(e.heads(false)).get(0);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).score()).isEqualTo(out.get(1).score());
    assertThat(out.get(0).points()[0]).isEqualTo(5.5f); // tie order: top-K order of t
    assertThat(out.get(1).points()[0]).isEqualTo(6.5f);
  }

  @Test
  void edgeAggregationAddsMonotoneRunsAlongTheEdge() {
    float[] row = {0.1f, 0.3f, 0.5f, 0.2f};
    HeadView v = HeadView.of("t_heat", row, new long[] {1, 1, 1, 4}, Layout.NCHW);
    HeadView h = ExtremeGrouping.aggregate(v, 0, Activation.PROBABILITIES, 0.1f, true);
    // left runs: 0, 0.1, 0.1 + 0.3, 0; right runs: 0, 0, 0.2, 0
    float[] expected = {0.1f, 0.3f + 0.1f * 0.1f, 0.5f + 0.1f * 0.4f + 0.1f * 0.2f, 0.2f};
    for (int x = 0; x < 4; x++) {
      assertThat(h.get(0, 0, 0, x)).isCloseTo(expected[x], within(1e-6f));
    }
    HeadView col = HeadView.of("l_heat", row, new long[] {1, 1, 4, 1}, Layout.NCHW);
    HeadView vert = ExtremeGrouping.aggregate(col, 0, Activation.PROBABILITIES, 0.1f, false);
    for (int y = 0; y < 4; y++) {
      assertThat(vert.get(0, 0, y, 0)).isCloseTo(expected[y], within(1e-6f));
    }
  }

  @Test
  void prunedAggregatedPeaksEqualFullAggregationThenPeakTopK() {
    Random rnd = new Random(11);
    int pruned = 0;
    for (int trial = 0; trial < 60; trial++) {
      int c = 1 + rnd.nextInt(4);
      int h = 5 + rnd.nextInt(20);
      int w = 5 + rnd.nextInt(20);
      int k = 1 + rnd.nextInt(Math.min(30, h * w));
      int kernel = new int[] {1, 3, 3, 5}[rnd.nextInt(4)];
      boolean horizontal = rnd.nextBoolean();
      Activation act = trial % 7 == 6 ? Activation.PROBABILITIES : Activation.LOGITS;
      float[] v = new float[2 * c * h * w];
      int kind = trial % 4;
      for (int i = 0; i < v.length; i++) {
        v[i] =
            switch (kind) {
              case 0 -> -6f + (float) rnd.nextGaussian(); // background: most lines pruned
              case 1 -> (float) rnd.nextGaussian() * 2; // busy map
              case 2 -> -4f; // one plateau: nothing can be pruned
              default -> Math.round(rnd.nextGaussian() * 2) - 3f; // coarse values, ties everywhere
            };
        if (act == Activation.PROBABILITIES) {
          v[i] = Activation.sigmoid(v[i]);
        }
      }
      for (int b = 0; b < 6; b++) { // a few objects
        int at = rnd.nextInt(v.length);
        v[at] = act == Activation.LOGITS ? 2f + rnd.nextFloat() * 3 : 0.9f;
      }
      HeadView view = HeadView.of("t_heat", v, new long[] {2, c, h, w}, Layout.NCHW);
      float[] nhwc = new float[v.length];
      for (int n = 0; n < 2; n++) {
        for (int ch = 0; ch < c; ch++) {
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              nhwc[((n * h + y) * w + x) * c + ch] = v[((n * c + ch) * h + y) * w + x];
            }
          }
        }
      }
      HeadView nhwcView = HeadView.of("t_heat", nhwc, new long[] {2, h, w, c}, Layout.NHWC);
      for (int n = 0; n < 2; n++) {
        Peaks expected =
            PeakTopK.select(
                ExtremeGrouping.aggregate(view, n, act, 0.1f, horizontal), 0, k, kernel, Activation.PROBABILITIES);
        ExtremeEdgeAggregation.Counted counted =
            ExtremeEdgeAggregation.topPeaksCounted(view, n, act, 0.1f, horizontal, k, kernel);
        Peaks actual = counted.peaks();
        pruned += counted.aggregatedLines() < counted.lines() ? 1 : 0;
        assertThat(actual.count()).as("trial " + trial).isEqualTo(expected.count());
        assertThat(actual.scores()).as("trial " + trial).isEqualTo(expected.scores());
        assertThat(actual.classes()).as("trial " + trial).isEqualTo(expected.classes());
        assertThat(actual.ys()).as("trial " + trial).isEqualTo(expected.ys());
        assertThat(actual.xs()).as("trial " + trial).isEqualTo(expected.xs());
        Peaks fromNhwc = ExtremeGrouping.aggregatedPeaks(nhwcView, n, act, 0.1f, horizontal, k, kernel);
        assertThat(fromNhwc.scores()).as("NHWC trial " + trial).isEqualTo(expected.scores());
        assertThat(fromNhwc.ys()).as("NHWC trial " + trial).isEqualTo(expected.ys());
        assertThat(fromNhwc.xs()).as("NHWC trial " + trial).isEqualTo(expected.xs());
      }
    }
    assertThat(pruned).as("cases where lines were skipped").isGreaterThan(10);
  }

  @Test
  void sigmoidUpperBoundIsAnUpperBound() {
    Random rnd = new Random(3);
    for (int i = 0; i < 200_000; i++) {
      float x = (float) (rnd.nextGaussian() * 12);
      assertThat(ExtremeEdgeAggregation.sigmoidUpperBound(x)).isGreaterThanOrEqualTo(Activation.sigmoid(x));
    }
    for (float x : new float[] {-30f, -29.75f, 29.75f, 30f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f}) {
      assertThat(ExtremeEdgeAggregation.sigmoidUpperBound(x)).isGreaterThanOrEqualTo(Activation.sigmoid(x));
    }
  }

  @Test
  void aggregatedScoresAreClampedToOneAfterNms() {
    Extremes e = oneObject();
    for (int x = 0; x < 12; x++) {
      e.maps[0][0][0][2][x] = x <= 5 ? 2f + x : 7f - (x - 5); // a ridge along the top edge peaking at x = 5
    }
    ExtremeNetDecoder d = new ExtremeNetDecoder(ExtremeNetDecoder.Config.defaults().withK(1));
    List<Candidate> out = d.decode(e.heads(false)).get(0);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).pointScores()[0]).isEqualTo(1f);
  }

  @Test
  void prunedGroupingEqualsBruteForceOnRandomHeads() {
    Random rnd = new Random(42);
    int groupsSeen = 0;
    for (int trial = 0; trial < 40; trial++) {
      boolean agnostic = trial % 4 == 3;
      int c = 1 + rnd.nextInt(3);
      int h = 6 + rnd.nextInt(8);
      int w = 6 + rnd.nextInt(8);
      int k = 4 + rnd.nextInt(9);
      int ce = agnostic ? 1 : c;
      float[][] maps = new float[4][];
      for (int i = 0; i < 4; i++) {
        maps[i] = new float[ce * h * w];
        for (int j = 0; j < maps[i].length; j++) {
          maps[i][j] = Math.round(rnd.nextGaussian() * 3) / 2f - 0.5f; // coarse values: plateaus and ties
        }
      }
      float[] ct = new float[c * h * w];
      for (int j = 0; j < ct.length; j++) {
        ct[j] = (float) rnd.nextGaussian();
      }
      HeadView ctView = HeadView.of("ct_heat", ct, new long[] {1, c, h, w}, Layout.NCHW);
      Peaks[] p = new Peaks[4];
      for (int i = 0; i < 4; i++) {
        HeadView view = HeadView.of(HEAT[i], maps[i], new long[] {1, ce, h, w}, Layout.NCHW);
        HeadView agg = ExtremeGrouping.aggregate(view, 0, Activation.LOGITS, 0.1f, i % 2 == 0);
        p[i] = ExtremeGrouping.clampScores(PeakTopK.select(agg, 0, k, 3, Activation.PROBABILITIES));
      }
      int numDets = trial % 5 == 0 ? 7 : 1000;
      ExtremeGrouping.Groups fast =
          ExtremeGrouping.group(p[0], p[1], p[2], p[3], ctView, 0, Activation.LOGITS, 0.1f, 0.1f, agnostic, numDets);
      List<ExtremeGroupingBruteForce.Group> slow =
          ExtremeGroupingBruteForce.group(
              p[0], p[1], p[2], p[3], ctView, 0, Activation.LOGITS, 0.1f, 0.1f, agnostic, numDets);
      assertThat(fast.count()).as("trial " + trial).isEqualTo(slow.size());
      for (int i = 0; i < slow.size(); i++) {
        ExtremeGroupingBruteForce.Group g = slow.get(i);
        assertThat(new int[] {fast.t()[i], fast.l()[i], fast.b()[i], fast.r()[i]})
            .as("trial " + trial + " group " + i)
            .isEqualTo(new int[] {g.t(), g.l(), g.b(), g.r()});
        assertThat(fast.score()[i]).isEqualTo(g.score());
        assertThat(fast.classId()[i]).isEqualTo(g.classId());
        assertThat(fast.centerScore()[i]).isEqualTo(g.centerScore());
      }
      groupsSeen += slow.size();
    }
    assertThat(groupsSeen).as("the random heads must produce groups to compare").isGreaterThan(200);
  }

  @Test
  void matchesNumpyPortOfUpstreamDecode() {
    ExtremeNetDecoder d = new ExtremeNetDecoder(ExtremeNetDecoder.Config.defaults().withK(10));
    CornerNetDecoderTest.assertRows(
        d.decode(CornerNetFamilyTestData.readHeads("/decode/extremenet/heads.txt")),
        CornerNetFamilyTestData.readRows("/decode/extremenet/expected.txt"),
        4);
  }

  @Test
  void matchesNumpyPortOfUpstreamClassAgnosticDecode() {
    ExtremeNetDecoder d =
        new ExtremeNetDecoder(ExtremeNetDecoder.Config.defaults().withK(10).withClassAgnostic(true));
    CornerNetDecoderTest.assertRows(
        d.decode(CornerNetFamilyTestData.readHeads("/decode/extremenet/agnostic_heads.txt")),
        CornerNetFamilyTestData.readRows("/decode/extremenet/agnostic_expected.txt"),
        4);
  }

  @Test
  void badInputIsATypedError() {
    Map<String, INDArray> missing = oneObject().map(false);
    missing.remove("r_heat");
    assertThatThrownBy(() -> decoder(1).decode(Heads.nchw(missing)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("r_heat");
    Map<String, INDArray> wrong = oneObject().map(false);
    wrong.put("l_heat", array(filled(1, 2, 12, 12, 0f)));
    assertThatThrownBy(() -> decoder(1).decode(Heads.nchw(wrong)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[1, 2, 12, 12]")
        .hasMessageContaining("[1, 1, 12, 12]");
    Map<String, INDArray> partial = oneObject().map(true);
    partial.remove("b_regr");
    assertThatThrownBy(() -> decoder(1).decode(Heads.nchw(partial))).isInstanceOf(InvalidInputException.class);
    Extremes nanCenter = oneObject().point(4, 0, 0, 5, 6, Float.NaN);
    assertThatThrownBy(() -> decoder(1).decode(nanCenter.heads(false)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("NaN");
    Extremes nanHeat = oneObject().point(2, 0, 0, 3, 3, Float.NaN);
    assertThatThrownBy(() -> new ExtremeNetDecoder(ExtremeNetDecoder.Config.defaults()).decode(nanHeat.heads(false)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> decoder(145).decode(oneObject().heads(false))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> ExtremeNetDecoder.Config.defaults().withK(0)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> ExtremeNetDecoder.Config.defaults().withScoreThreshold(1.5))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> ExtremeNetDecoder.Config.defaults().withAggrWeight(-0.1))
        .isInstanceOf(InvalidConfigException.class);
  }
}
