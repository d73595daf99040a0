package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link MultiPoseDecoder} equals a brute-force port of {@code multi_pose_decode} on random heads: full NMS'd
 * maps sorted for the top K (no floor, no in-place channel selection, no collapsing of invalid joints), the
 * nearest of all K heatmap joints by float distance (first on ties). Many joints sit at or below the threshold,
 * so fewer than K valid joints per channel is common.
 */
class MultiPoseReferenceTest {

  private record Peak(float score, int y, int x, int order) {}

  /** Top K of one NMS'd channel of activated values (kernel 3, -inf borders), ties in y·W + x order. */
  private static List<Peak> topK(float[] act, int off, int h, int w, int k) {
    List<Peak> all = new ArrayList<>();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float v = act[off + y * w + x];
        float max = Float.NEGATIVE_INFINITY;
        for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
          for (int xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
            max = Math.max(max, act[off + yy * w + xx]);
          }
        }
        all.add(new Peak(max == v ? v : 0f, y, x, y * w + x));
      }
    }
    all.sort(Comparator.comparing((Peak p) -> -p.score).thenComparingInt(p -> p.order));
    return all.subList(0, k);
  }

  /** NCHW arrays of batch 1; returns per candidate {x1, y1, x2, y2, score, points..., pointScores...}. */
  private static List<float[]> reference(
      float[] hm, float[] wh, float[] reg, float[] hps, float[] hmHp, float[] hpOff, int joints, int h, int w,
      int k, Activation act, float thr, float ratio) {
    int plane = h * w;
    float[] hmA = new float[plane];
    for (int i = 0; i < plane; i++) {
      hmA[i] = act.apply(hm[i]);
    }
    float[] hpA = new float[joints * plane];
    for (int i = 0; i < hpA.length; i++) {
      hpA[i] = act.apply(hmHp[i]);
    }
    float[][] jx = new float[joints][];
    float[][] jy = new float[joints][];
    float[][] js = new float[joints][];
    for (int j = 0; j < joints; j++) {
      List<Peak> p = topK(hpA, j * plane, h, w, k);
      jx[j] = new float[k];
      jy[j] = new float[k];
      js[j] = new float[k];
      for (int m = 0; m < k; m++) {
        Peak e = p.get(m);
        boolean valid = e.score > thr;
        jx[j][m] = valid ? e.x + hpOff[e.y * w + e.x] : -10000f;
        jy[j][m] = valid ? e.y + hpOff[plane + e.y * w + e.x] : -10000f;
        js[j][m] = valid ? e.score : -1f;
      }
    }
    List<float[]> out = new ArrayList<>();
    for (Peak c : topK(hmA, 0, h, w, k)) {
      int at = c.y * w + c.x;
      float cx = c.x + reg[at];
      float cy = c.y + reg[plane + at];
      float bw = wh[at];
      float bh = wh[plane + at];
      float x1 = cx - bw / 2;
      float y1 = cy - bh / 2;
      float x2 = cx + bw / 2;
      float y2 = cy + bh / 2;
      float maxSide = Math.max(y2 - y1, x2 - x1) * ratio;
      float[] row = new float[5 + 3 * joints];
      row[0] = x1;
      row[1] = y1;
      row[2] = x2;
      row[3] = y2;
      row[4] = c.score;
      for (int j = 0; j < joints; j++) {
        float rx = c.x + hps[2 * j * plane + at];
        float ry = c.y + hps[(2 * j + 1) * plane + at];
        int best = 0;
        float bestDist = Float.POSITIVE_INFINITY;
        for (int m = 0; m < k; m++) {
          float dx = rx - jx[j][m];
          float dy = ry - jy[j][m];
          float d = (float) Math.sqrt(dx * dx + dy * dy);
          if (d < bestDist) {
            bestDist = d;
            best = m;
          }
        }
        float hx = jx[j][best];
        float hy = jy[j][best];
        float hs = js[j][best];
        boolean reject = hx < x1 || hx > x2 || hy < y1 || hy > y2 || hs < thr || bestDist > maxSide;
        row[5 + 2 * j] = reject ? rx : hx;
        row[6 + 2 * j] = reject ? ry : hy;
        row[5 + 2 * joints + j] = hs > 0 ? hs : 0f;
      }
      out.add(row);
    }
    return out;
  }

  private static float[] nhwc(float[] nchw, int c, int h, int w) {
    float[] out = new float[nchw.length];
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < h * w; i++) {
        out[i * c + ch] = nchw[ch * h * w + i];
      }
    }
    return out;
  }

  private static HeadView view(String name, float[] nchw, int c, int h, int w, Layout layout) {
    return layout == Layout.NCHW
        ? HeadView.of(name, nchw, new long[] {1, c, h, w}, layout)
        : HeadView.of(name, nhwc(nchw, c, h, w), new long[] {1, h, w, c}, layout);
  }

  @Test
  void equalsBruteForcePortOnRandomHeads() {
    Random rnd = new Random(31);
    int compared = 0;
    for (int trial = 0; trial < 60; trial++) {
      int joints = 1 + rnd.nextInt(4);
      int h = 4 + rnd.nextInt(20);
      int w = 4 + rnd.nextInt(20);
      int k = 1 + rnd.nextInt(Math.min(h * w, 60));
      Activation act = rnd.nextBoolean() ? Activation.LOGITS : Activation.PROBABILITIES;
      int plane = h * w;
      float[] hm = new float[plane];
      float[] hmHp = new float[joints * plane];
      for (float[] a : new float[][] {hm, hmHp}) {
        for (int i = 0; i < a.length; i++) {
          // mostly background at or below 0.1, a few joints above, some plateaus
          float p = rnd.nextInt(12) == 0 ? 0.1f + 0.9f * rnd.nextFloat() : (rnd.nextInt(5) == 0 ? 0.1f : 0.1f * rnd.nextFloat());
          if (rnd.nextInt(15) == 0 && i > 0) {
            p = act == Activation.LOGITS ? Activation.sigmoid(a[i - 1]) : a[i - 1];
          }
          a[i] = act == Activation.LOGITS ? (float) Math.log(p / (1 - p)) : p;
        }
      }
      float[] wh = new float[2 * plane];
      float[] reg = new float[2 * plane];
      float[] hpOff = new float[2 * plane];
      float[] hps = new float[2 * joints * plane];
      for (int i = 0; i < wh.length; i++) {
        wh[i] = 2 + 10 * rnd.nextFloat();
        reg[i] = rnd.nextFloat();
        hpOff[i] = rnd.nextFloat();
      }
      for (int i = 0; i < hps.length; i++) {
        hps[i] = (float) rnd.nextGaussian() * 3;
      }
      List<float[]> expected = reference(hm, wh, reg, hps, hmHp, hpOff, joints, h, w, k, act, 0.1f, 0.3f);
      for (Layout layout : Layout.values()) {
        MultiPoseDecoder d =
            new MultiPoseDecoder(MultiPoseDecoder.Config.defaults().withK(k).withActivation(act).withLayout(layout));
        List<Candidate> got =
            d.decode(
                    view("hm", hm, 1, h, w, layout), view("wh", wh, 2, h, w, layout),
                    view("hps", hps, 2 * joints, h, w, layout), view("reg", reg, 2, h, w, layout),
                    view("hm_hp", hmHp, joints, h, w, layout), view("hp_offset", hpOff, 2, h, w, layout))
                .get(0);
        String what = "trial " + trial + " " + layout + " " + act + " k " + k;
        assertThat(got).as(what).hasSize(k);
        for (int i = 0; i < k; i++) {
          float[] e = expected.get(i);
          Candidate c = got.get(i);
          float[] actual = new float[5 + 3 * joints];
          actual[0] = c.x1();
          actual[1] = c.y1();
          actual[2] = c.x2();
          actual[3] = c.y2();
          actual[4] = c.score();
          System.arraycopy(c.points(), 0, actual, 5, 2 * joints);
          System.arraycopy(c.pointScores(), 0, actual, 5 + 2 * joints, joints);
          assertThat(actual).as(what + " candidate " + i).isEqualTo(e);
        }
        compared++;
      }
    }
    assertThat(compared).isEqualTo(120);
  }
}
