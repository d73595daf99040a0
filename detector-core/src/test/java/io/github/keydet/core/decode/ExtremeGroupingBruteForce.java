package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The exhaustive ExtremeNet grouping, for tests only: every one of the K⁴ (t, l, b, r) quadruples scored and
 * penalised exactly as {@code _exct_decode} / {@code agnex_ct_decode} do (-1 per failed test), ranked by score
 * with ties in flattened index order, the best {@code numDets} taken, and those with no failed test kept.
 */
final class ExtremeGroupingBruteForce {
  private ExtremeGroupingBruteForce() {}

  record Group(int t, int l, int b, int r, float score, int classId, float centerScore) {}

  static List<Group> group(
      Peaks t, Peaks l, Peaks b, Peaks r, HeadView ct, int n, Activation act, float scoreThr, float centerThr,
      boolean agnostic, int numDets) {
    List<Group> all = new ArrayList<>();
    List<Boolean> valid = new ArrayList<>();
    for (int a = 0; a < t.count(); a++) {
      for (int c = 0; c < l.count(); c++) {
        for (int d = 0; d < b.count(); d++) {
          for (int e = 0; e < r.count(); e++) {
            int tx = t.xs()[a];
            int ty = t.ys()[a];
            int lx = l.xs()[c];
            int ly = l.ys()[c];
            int bx = b.xs()[d];
            int by = b.ys()[d];
            int rx = r.xs()[e];
            int ry = r.ys()[e];
            int cx = (int) ((lx + rx + 0.5f) / 2);
            int cy = (int) ((ty + by + 0.5f) / 2);
            float cs;
            int cls;
            if (agnostic) {
              cs = Float.NEGATIVE_INFINITY;
              cls = 0;
              for (int ch = 0; ch < ct.channels(); ch++) {
                float v = act.apply(ct.get(n, ch, cy, cx));
                if (v > cs) {
                  cs = v;
                  cls = ch;
                }
              }
            } else {
              cls = t.classes()[a];
              cs = act.apply(ct.get(n, cls, cy, cx));
            }
            float ts = t.scores()[a];
            float ls = l.scores()[c];
            float bs = b.scores()[d];
            float rs = r.scores()[e];
            float score = (ts + ls + bs + rs + 2 * cs) / 6;
            int fails = 0;
            if (!agnostic
                && (t.classes()[a] != l.classes()[c]
                    || t.classes()[a] != b.classes()[d]
                    || t.classes()[a] != r.classes()[e])) {
              fails++;
            }
            if (ty > ly || ty > by || ty > ry) {
              fails++;
            }
            if (lx > tx || lx > bx || lx > rx) {
              fails++;
            }
            if (by < ty || by < ly || by < ry) {
              fails++;
            }
            if (rx < tx || rx < lx || rx < bx) {
              fails++;
            }
            if (ts < scoreThr || ls < scoreThr || bs < scoreThr || rs < scoreThr || cs < centerThr) {
              fails++;
            }
            all.add(new Group(a, c, d, e, score - fails, cls, cs));
            valid.add(fails == 0);
          }
        }
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      order.add(i);
    }
    // descending score, ties by flattened (t, l, b, r) index = insertion order (stable sort)
    order.sort(Comparator.comparingDouble((Integer i) -> -all.get(i).score()));
    List<Group> out = new ArrayList<>();
    for (int q = 0; q < Math.min(numDets, order.size()); q++) {
      int i = order.get(q);
      if (valid.get(i)) {
        Group g = all.get(i);
        out.add(new Group(g.t(), g.l(), g.b(), g.r(), g.score(), g.classId(), g.centerScore()));
      }
    }
    return out;
  }
}
