package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pruned ExtremeNet path (line bounds, partial aggregation, peaks picked from the aggregated lines, pruned
 * grouping) equals, bit for bit, a straightforward one kept here as the reference: every line aggregated with
 * ExtremeNet's {@code _left_aggregate} / {@code _right_aggregate} recurrences read element by element, max-pool
 * NMS over the whole map, a full sort for the top K, and the exhaustive K⁴ grouping.
 */
class ExtremeNetReferenceTest {
  private static final String[] HEAT = {"t_heat", "l_heat", "b_heat", "r_heat"};
  private static final String[] REGR = {"t_regr", "l_regr", "b_regr", "r_regr"};

  @Test
  void aggregatedPeaksEqualTheStraightforwardAggregationAndTopK() {
    Random rnd = new Random(2024);
    int pruned = 0;
    int trials = 0;
    for (int trial = 0; trial < 300; trial++) {
      int c = 1 + rnd.nextInt(6);
      int h = 3 + rnd.nextInt(trial % 3 == 0 ? 60 : 20);
      int w = 3 + rnd.nextInt(trial % 3 == 0 ? 60 : 20);
      int k = 1 + rnd.nextInt(Math.min(50, h * w));
      int kernel = new int[] {1, 3, 3, 3, 5}[rnd.nextInt(5)];
      float weight = new float[] {0.1f, 0.1f, 0.05f, 0.5f, 1f, 2.5f}[rnd.nextInt(6)];
      boolean horizontal = rnd.nextBoolean();
      boolean logits = trial % 5 != 4;
      float[] v = randomMap(rnd, trial % 6, 2, c, h, w, logits);
      HeadView nchw = HeadView.of("t_heat", v, new long[] {2, c, h, w}, Layout.NCHW);
      HeadView nhwc = HeadView.of("t_heat", toNhwc(v, 2, c, h, w), new long[] {2, h, w, c}, Layout.NHWC);
      Activation act = logits ? Activation.LOGITS : Activation.PROBABILITIES;
      for (int n = 0; n < 2; n++) {
        float[] agg = referenceAggregate(v, n, c, h, w, logits, weight, horizontal);
        Peaks expected = referenceTopK(agg, c, h, w, k, kernel);
        ExtremeEdgeAggregation.Counted counted =
            ExtremeEdgeAggregation.topPeaksCounted(nchw, n, act, weight, horizontal, k, kernel);
        String what = "trial " + trial + " n " + n + " (" + c + "x" + h + "x" + w + " k " + k + " kernel " + kernel
            + " weight " + weight + (horizontal ? " rows" : " columns") + ")";
        samePeaks(counted.peaks(), expected, what);
        samePeaks(ExtremeGrouping.aggregatedPeaks(nhwc, n, act, weight, horizontal, k, kernel), expected, "NHWC " + what);
        pruned += counted.aggregatedLines() < counted.lines() ? 1 : 0;
        trials++;
      }
    }
    assertThat(pruned).as("cases where lines were skipped, of " + trials).isGreaterThan(trials / 3);
  }

  /** Benchmark-sized heads (many channels, few objects): the shape the pruning is built for. */
  @Test
  void aggregatedPeaksEqualTheReferenceOnLargeSparseMaps() {
    Random rnd = new Random(77);
    for (int trial = 0; trial < 6; trial++) {
      int c = 20;
      int h = 64 + rnd.nextInt(16);
      int w = 64 + rnd.nextInt(16);
      float[] v = new float[c * h * w];
      for (int i = 0; i < v.length; i++) {
        v[i] = -6f + (float) rnd.nextGaussian();
      }
      for (int o = 0; o < 12; o++) {
        bump(v, rnd.nextInt(c), h, w, rnd.nextInt(w), rnd.nextInt(h), 1f + rnd.nextFloat() * 2);
      }
      HeadView view = HeadView.of("l_heat", v, new long[] {1, c, h, w}, Layout.NCHW);
      for (boolean horizontal : new boolean[] {true, false}) {
        int k = new int[] {10, 40, 100}[trial % 3];
        Peaks expected = referenceTopK(referenceAggregate(v, 0, c, h, w, true, 0.1f, horizontal), c, h, w, k, 3);
        ExtremeEdgeAggregation.Counted counted =
            ExtremeEdgeAggregation.topPeaksCounted(view, 0, Activation.LOGITS, 0.1f, horizontal, k, 3);
        samePeaks(counted.peaks(), expected, "trial " + trial + (horizontal ? " rows" : " columns"));
        if (k <= 40) {
          assertThat(counted.aggregatedLines()).as("lines aggregated").isLessThan(counted.lines() / 4);
        }
      }
    }
  }

  /**
   * Values the line bounds do not cover (infinities, values near float overflow, -0, negative values, weights
   * outside [0, 1]) give what the documented contract, PeakTopK on the fully aggregated map, gives: the same
   * peaks, or the same error.
   */
  @Test
  void unusualValuesAndWeightsFollowTheFullAggregation() {
    Random rnd = new Random(5);
    float[] specials = {
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 3e38f, -3e38f, -1f, 1e-40f, 100f, -200f
    };
    float[] weights = {0.1f, 0f, 1f, 7f, -0.5f, 1e30f, Float.POSITIVE_INFINITY, Float.NaN};
    for (int trial = 0; trial < 200; trial++) {
      int c = 1 + rnd.nextInt(3);
      int h = 3 + rnd.nextInt(10);
      int w = 3 + rnd.nextInt(10);
      boolean logits = rnd.nextBoolean();
      float[] v = randomMap(rnd, rnd.nextInt(6), 1, c, h, w, logits);
      for (int s = 0; s < 1 + rnd.nextInt(4); s++) {
        v[rnd.nextInt(v.length)] = specials[rnd.nextInt(specials.length)];
      }
      float weight = weights[rnd.nextInt(weights.length)];
      int k = 1 + rnd.nextInt(Math.min(20, h * w));
      boolean horizontal = rnd.nextBoolean();
      Activation act = logits ? Activation.LOGITS : Activation.PROBABILITIES;
      HeadView view = HeadView.of("b_heat", v, new long[] {1, c, h, w}, Layout.NCHW);
      String what = "trial " + trial + " weight " + weight + " " + act;
      Object expected = outcome(() ->
          PeakTopK.select(ExtremeGrouping.aggregate(view, 0, act, weight, horizontal), 0, k, 3, Activation.PROBABILITIES));
      Object actual = outcome(() -> ExtremeGrouping.aggregatedPeaks(view, 0, act, weight, horizontal, k, 3));
      if (expected instanceof Peaks e && actual instanceof Peaks a) {
        samePeaks(a, e, what);
      } else {
        assertThat(String.valueOf(actual)).as(what).isEqualTo(String.valueOf(expected));
      }
    }
  }

  /** The peaks, or the message of the error. */
  private static Object outcome(java.util.function.Supplier<Peaks> run) {
    try {
      return run.get();
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  @Test
  void decodeEqualsTheStraightforwardPipeline() {
    Random rnd = new Random(99);
    int detections = 0;
    for (int trial = 0; trial < 40; trial++) {
      int batch = 1 + rnd.nextInt(2);
      int c = 1 + rnd.nextInt(4);
      int h = 16 + rnd.nextInt(24);
      int w = 16 + rnd.nextInt(24);
      boolean agnostic = trial % 4 == 3;
      boolean offsets = trial % 3 == 1;
      int ce = agnostic ? 1 : c;
      ExtremeNetDecoder.Config config =
          ExtremeNetDecoder.Config.defaults()
              .withK(4 + rnd.nextInt(9))
              .withAggrWeight(trial % 5 == 0 ? 0 : 0.1)
              .withClassAgnostic(agnostic)
              .withNumDets(trial % 7 == 0 ? 5 : 1000);
      float[][] maps = new float[5][];
      for (int i = 0; i < 5; i++) {
        maps[i] = new float[batch * (i < 4 ? ce : c) * h * w];
        for (int j = 0; j < maps[i].length; j++) {
          maps[i][j] = -5f + (float) rnd.nextGaussian();
        }
      }
      for (int n = 0; n < batch; n++) {
        for (int o = 0; o < 6; o++) {
          int cls = rnd.nextInt(c);
          int x1 = rnd.nextInt(w - 8);
          int y1 = rnd.nextInt(h - 8);
          int x2 = x1 + 3 + rnd.nextInt(Math.min(10, w - x1 - 3));
          int y2 = y1 + 3 + rnd.nextInt(Math.min(10, h - y1 - 3));
          int ec = agnostic ? 0 : cls;
          int ep = (n * ce + ec) * h * w;
          float peak = 1f + rnd.nextFloat() * 2;
          bumpAt(maps[0], ep, h, w, (x1 + x2) / 2, y1, peak);
          bumpAt(maps[1], ep, h, w, x1, (y1 + y2) / 2, peak);
          bumpAt(maps[2], ep, h, w, (x1 + x2) / 2, y2, peak);
          bumpAt(maps[3], ep, h, w, x2, (y1 + y2) / 2, peak);
          bumpAt(maps[4], (n * c + cls) * h * w, h, w, (int) ((x1 + x2 + 0.5f) / 2), (int) ((y1 + y2 + 0.5f) / 2), peak);
        }
      }
      float[][] regr = new float[4][];
      Map<String, HeadView> views = new HashMap<>();
      for (int i = 0; i < 4; i++) {
        views.put(HEAT[i], HeadView.of(HEAT[i], maps[i], new long[] {batch, ce, h, w}, Layout.NCHW));
        if (offsets) {
          regr[i] = new float[batch * 2 * h * w];
          for (int j = 0; j < regr[i].length; j++) {
            regr[i][j] = rnd.nextFloat();
          }
          views.put(REGR[i], HeadView.of(REGR[i], regr[i], new long[] {batch, 2, h, w}, Layout.NCHW));
        }
      }
      HeadView ct = HeadView.of("ct_heat", maps[4], new long[] {batch, c, h, w}, Layout.NCHW);
      views.put("ct_heat", ct);
      List<List<Candidate>> actual = new ExtremeNetDecoder(config).decode(Heads.ofViews(views, Layout.NCHW));
      assertThat(actual).hasSize(batch);
      for (int n = 0; n < batch; n++) {
        List<Candidate> expected = referenceDecode(config, maps, regr, ct, n, ce, h, w);
        List<Candidate> got = actual.get(n);
        assertThat(got).as("trial " + trial + " n " + n).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
          Candidate e = expected.get(i);
          Candidate a = got.get(i);
          String what = "trial " + trial + " n " + n + " candidate " + i;
          assertThat(new float[] {a.x1(), a.y1(), a.x2(), a.y2(), a.score()})
              .as(what)
              .isEqualTo(new float[] {e.x1(), e.y1(), e.x2(), e.y2(), e.score()});
          assertThat(a.classId()).as(what).isEqualTo(e.classId());
          assertThat(a.points()).as(what).isEqualTo(e.points());
          assertThat(a.pointScores()).as(what).isEqualTo(e.pointScores());
        }
        detections += expected.size();
      }
    }
    assertThat(detections).as("the random heads must produce detections to compare").isGreaterThan(100);
  }

  // ---- the reference -------------------------------------------------------------------------------------

  /** ExtremeNet's decode, step by step on whole maps. */
  private static List<Candidate> referenceDecode(
      ExtremeNetDecoder.Config config, float[][] maps, float[][] regr, HeadView ct, int n, int ce, int h, int w) {
    Peaks[] p = new Peaks[4];
    for (int i = 0; i < 4; i++) {
      float[] m;
      if (config.aggrWeight() > 0) {
        m = referenceAggregate(maps[i], n, ce, h, w, true, (float) config.aggrWeight(), i % 2 == 0);
      } else {
        m = new float[ce * h * w];
        for (int j = 0; j < m.length; j++) {
          m[j] = Activation.sigmoid(maps[i][n * ce * h * w + j]);
        }
      }
      Peaks top = referenceTopK(m, ce, h, w, config.k(), config.kernel());
      float[] clamped = top.scores().clone();
      for (int j = 0; j < clamped.length; j++) {
        clamped[j] = Math.min(clamped[j], 1f);
      }
      p[i] = new Peaks(top.count(), clamped, top.classes(), top.ys(), top.xs());
    }
    List<ExtremeGroupingBruteForce.Group> groups =
        ExtremeGroupingBruteForce.group(
            p[0], p[1], p[2], p[3], ct, n, Activation.LOGITS, (float) config.scoreThreshold(),
            (float) config.centerThreshold(), config.classAgnostic(), config.numDets());
    List<Candidate> out = new ArrayList<>();
    for (ExtremeGroupingBruteForce.Group g : groups) {
      int[] idx = {g.t(), g.l(), g.b(), g.r()};
      float[] pts = new float[8];
      float[] ps = new float[4];
      for (int i = 0; i < 4; i++) {
        int y = p[i].ys()[idx[i]];
        int x = p[i].xs()[idx[i]];
        pts[2 * i] = x + (regr[i] != null ? regr[i][((n * 2) * h + y) * w + x] : 0.5f);
        pts[2 * i + 1] = y + (regr[i] != null ? regr[i][((n * 2 + 1) * h + y) * w + x] : 0.5f);
        ps[i] = p[i].scores()[idx[i]];
      }
      out.add(Candidate.withPoints(pts[2], pts[1], pts[6], pts[5], g.score(), g.classId(), pts, ps));
    }
    return out;
  }

  /**
   * {@code _h_aggregate} (rows) or {@code _v_aggregate} (columns) of batch item n of an NCHW map, after the
   * sigmoid when {@code logits}: {@code w·left + w·right + v}, where left/right are {@code ret - v} of the
   * running sums {@code ret[i] = v[i] + (v[i] >= v[i∓1] ? ret[i∓1] : 0)}.
   */
  static float[] referenceAggregate(
      float[] map, int n, int c, int h, int w, boolean logits, float weight, boolean horizontal) {
    float[] v = new float[c * h * w];
    for (int i = 0; i < v.length; i++) {
      float raw = map[n * c * h * w + i];
      v[i] = logits ? Activation.sigmoid(raw) : raw;
    }
    float[] out = new float[v.length];
    int lines = horizontal ? c * h : c * w;
    int len = horizontal ? w : h;
    for (int line = 0; line < lines; line++) {
      int[] at = new int[len];
      for (int i = 0; i < len; i++) {
        at[i] = horizontal ? line * w + i : (line / w) * h * w + i * w + line % w;
      }
      float[] left = new float[len];
      left[0] = v[at[0]];
      for (int i = 1; i < len; i++) {
        left[i] = v[at[i]] + (v[at[i]] >= v[at[i - 1]] ? left[i - 1] : 0f);
      }
      float[] right = new float[len];
      right[len - 1] = v[at[len - 1]];
      for (int i = len - 2; i >= 0; i--) {
        right[i] = v[at[i]] + (v[at[i]] >= v[at[i + 1]] ? right[i + 1] : 0f);
      }
      for (int i = 0; i < len; i++) {
        float x = v[at[i]];
        out[at[i]] = weight * (left[i] - x) + weight * (right[i] - x) + x;
      }
    }
    return out;
  }

  /**
   * Max-pool NMS (a value survives when no value of its window is larger, else it becomes 0), then the K largest
   * of all C·H·W values, ties in memory order.
   */
  static Peaks referenceTopK(float[] m, int c, int h, int w, int k, int kernel) {
    int r = kernel / 2;
    float[] kept = new float[m.length];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = m[(ch * h + y) * w + x];
          boolean peak = true;
          for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
            for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
              peak &= !(m[(ch * h + yy) * w + xx] > v);
            }
          }
          kept[(ch * h + y) * w + x] = peak ? v : 0f;
        }
      }
    }
    Integer[] order = new Integer[m.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(kept[b] + 0f, kept[a] + 0f)); // stable: ties in memory order
    int count = Math.min(k, m.length);
    float[] scores = new float[count];
    int[] cs = new int[count];
    int[] ys = new int[count];
    int[] xs = new int[count];
    for (int i = 0; i < count; i++) {
      int at = order[i];
      scores[i] = kept[at];
      cs[i] = at / (h * w);
      ys[i] = at / w % h;
      xs[i] = at % w;
    }
    return new Peaks(count, scores, cs, ys, xs);
  }

  // ---- inputs --------------------------------------------------------------------------------------------

  private static float[] randomMap(Random rnd, int kind, int batch, int c, int h, int w, boolean logits) {
    float[] v = new float[batch * c * h * w];
    for (int i = 0; i < v.length; i++) {
      v[i] =
          switch (kind) {
            case 0, 1 -> -6f + (float) rnd.nextGaussian(); // background: most lines can be skipped
            case 2 -> (float) rnd.nextGaussian() * 2; // busy map
            case 3 -> -4f; // one plateau: nothing can be skipped
            case 4 -> Math.round(rnd.nextGaussian() * 2) - 3f; // coarse values: ties everywhere
            default -> rnd.nextInt(50) == 0 ? 20f + rnd.nextInt(3) * 40f : -8f; // saturated sigmoid plateaus
          };
    }
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < 1 + rnd.nextInt(8); o++) {
        int at = b * c * h * w + rnd.nextInt(c) * h * w;
        bumpAt(v, at, h, w, rnd.nextInt(w), rnd.nextInt(h), 1f + rnd.nextFloat() * 3);
      }
    }
    if (!logits) {
      for (int i = 0; i < v.length; i++) {
        v[i] = Activation.sigmoid(v[i]);
      }
    }
    return v;
  }

  private static void bump(float[] v, int c, int h, int w, int x, int y, float peak) {
    bumpAt(v, c * h * w, h, w, x, y, peak);
  }

  /** A 3x3 peak falling off by 1.5 per cell, at (x, y) of the plane starting at {@code plane}. */
  private static void bumpAt(float[] v, int plane, int h, int w, int x, int y, float peak) {
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int yy = y + dy;
        int xx = x + dx;
        if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
          int i = plane + yy * w + xx;
          v[i] = Math.max(v[i], peak - 1.5f * Math.max(Math.abs(dx), Math.abs(dy)));
        }
      }
    }
  }

  private static float[] toNhwc(float[] v, int batch, int c, int h, int w) {
    float[] out = new float[v.length];
    for (int n = 0; n < batch; n++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            out[((n * h + y) * w + x) * c + ch] = v[((n * c + ch) * h + y) * w + x];
          }
        }
      }
    }
    return out;
  }

  private static void samePeaks(Peaks actual, Peaks expected, String what) {
    assertThat(actual.count()).as(what).isEqualTo(expected.count());
    assertThat(actual.scores()).as(what).isEqualTo(expected.scores());
    assertThat(actual.classes()).as(what).isEqualTo(expected.classes());
    assertThat(actual.ys()).as(what).isEqualTo(expected.ys());
    assertThat(actual.xs()).as(what).isEqualTo(expected.xs());
  }
}
