package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;

import io.github.keydet.api.InvalidInputException;
import java.util.Arrays;

/**
 * The ExtremeNet steps around the shared peak selection: edge aggregation of an extreme-point heatmap, and the
 * grouping of top/left/bottom/right extreme points with a center heatmap (ExtremeNet's {@code _exct_decode},
 * CenterNet's {@code exct_decode} / {@code agnex_ct_decode}). Used by {@link ExtremeNetDecoder}; public so the
 * steps can be tested and benchmarked alone. Stateless.
 *
 * <p>The original scores all K⁴ quadruples. This grouping visits only quadruples that can pass the geometric
 * tests — for each (t, b) of one class with t not below b, the l points between them in y and not right of
 * either, and the r points between them in y and not left of either — and returns exactly the valid groups the
 * exhaustive enumeration keeps, in the same order.
 */
public final class ExtremeGrouping {
  private ExtremeGrouping() {}

  /**
   * Valid groups of one image, best first: indices into the t, l, b, r peaks, score, class, center score.
   *
   * @param count number of groups
   * @param t index of the top point in its {@link Peaks}
   * @param l index of the left point
   * @param b index of the bottom point
   * @param r index of the right point
   * @param score {@code (t + l + b + r + 2·ct) / 6}
   * @param classId class of the top point (class-specific), or the center's best class (class-agnostic)
   * @param centerScore activated center heatmap value at the group's center cell
   */
  public record Groups(
      int count, int[] t, int[] l, int[] b, int[] r, float[] score, int[] classId, float[] centerScore) {}

  /**
   * Edge aggregation ({@code _h_aggregate} / {@code _v_aggregate}) of one image of an extreme heatmap: each value
   * gains {@code weight} times the sum of the monotonically non-increasing run of values leading away from it to
   * each side along the row (horizontal, for t and b) or column (vertical, for l and r), computed in float as the
   * original does ({@code ret[i] = v[i] + (v[i] >= v[i-1] ? ret[i-1] : 0)}, gain = {@code ret - v}).
   *
   * @param heat the heatmap, [N, C, H, W] or NHWC
   * @param n batch index
   * @param activation whether the sigmoid is applied first
   * @param weight {@code aggr_weight}
   * @param horizontal along rows (t, b) or columns (l, r)
   * @return a [1, C, H, W] NCHW view of probabilities (not clamped)
   * @throws InvalidInputException on NaN
   */
  public static HeadView aggregate(HeadView heat, int n, Activation activation, float weight, boolean horizontal) {
    return ExtremeEdgeAggregation.full(heat, n, activation, weight, horizontal);
  }

  /**
   * The top-K peaks (peak NMS with {@code kernel}) of the aggregated map of batch item {@code n}, scores not
   * clamped: exactly {@code PeakTopK.select(aggregate(heat, n, activation, weight, horizontal), 0, k, kernel,
   * PROBABILITIES)}, computed without aggregating lines that provably cannot matter.
   *
   * @throws InvalidInputException on NaN, or K above H·W
   */
  public static Peaks aggregatedPeaks(
      HeadView heat, int n, Activation activation, float weight, boolean horizontal, int k, int kernel) {
    return ExtremeEdgeAggregation.topPeaks(heat, n, activation, weight, horizontal, k, kernel);
  }

  /** The same peaks with every score clamped to at most 1 (the original clamps after NMS). */
  public static Peaks clampScores(Peaks p) {
    float[] s = p.scores().clone();
    for (int i = 0; i < s.length; i++) {
      if (s[i] > 1f) {
        s[i] = 1f;
      }
    }
    return new Peaks(p.count(), s, p.classes(), p.ys(), p.xs());
  }

  /**
   * Groups extreme points of one image.
   *
   * <p>A group is valid when every extreme score is at least {@code scoreThreshold}, the center score is at least
   * {@code centerThreshold}, (class-specific) the four classes agree, and on the integer cells t is top-most, l
   * left-most, b bottom-most and r right-most (ties allowed). The center cell is
   * {@code (int((l_x + r_x + 0.5) / 2), int((t_y + b_y + 0.5) / 2))}, read in the class of t (class-specific) or
   * as the maximum over classes (class-agnostic, whose class is that argmax, first on ties).
   *
   * @param t top-point peaks (scores already clamped), best first
   * @param l left-point peaks
   * @param b bottom-point peaks
   * @param r right-point peaks
   * @param ctHeat the center heatmap
   * @param n batch index in {@code ctHeat}
   * @param activation whether the center heatmap needs the sigmoid
   * @param scoreThreshold extreme-point threshold (0.1)
   * @param centerThreshold center threshold (0.1)
   * @param classAgnostic ignore the extreme points' classes and take the class from the center map
   * @param numDets most groups returned
   * @return the valid groups, best first; ties in the exhaustive (t, l, b, r) index order
   */
  public static Groups group(
      Peaks t,
      Peaks l,
      Peaks b,
      Peaks r,
      HeadView ctHeat,
      int n,
      Activation activation,
      float scoreThreshold,
      float centerThreshold,
      boolean classAgnostic,
      int numDets) {
    int buckets = classAgnostic ? 1 : ctHeat.channels();
    int[][] lBy = byClass(l, scoreThreshold, classAgnostic, buckets);
    int[][] bBy = byClass(b, scoreThreshold, classAgnostic, buckets);
    int[][] rBy = byClass(r, scoreThreshold, classAgnostic, buckets);
    int width = ctHeat.width();
    int height = ctHeat.height();
    GroupList found = new GroupList();
    int[] lSel = new int[l.count()];
    int[] rSel = new int[r.count()];
    for (int a = 0; a < t.count(); a++) {
      float ts = t.scores()[a];
      if (ts < scoreThreshold) {
        continue;
      }
      int cls = classAgnostic ? 0 : t.classes()[a];
      if (cls >= buckets) {
        continue; // no center channel for this class: the original would fail; nothing can match here
      }
      int ty = t.ys()[a];
      int tx = t.xs()[a];
      int[] bs = bBy[cls];
      for (int bi : bs) {
        int by = b.ys()[bi];
        if (by < ty) {
          continue;
        }
        int bx = b.xs()[bi];
        int lxMax = Math.min(tx, bx);
        int rxMin = Math.max(tx, bx);
        int nl = 0;
        for (int li : lBy[cls]) {
          int ly = l.ys()[li];
          if (ly >= ty && ly <= by && l.xs()[li] <= lxMax) {
            lSel[nl++] = li;
          }
        }
        if (nl == 0) {
          continue;
        }
        int nr = 0;
        for (int ri : rBy[cls]) {
          int ry = r.ys()[ri];
          if (ry >= ty && ry <= by && r.xs()[ri] >= rxMin) {
            rSel[nr++] = ri;
          }
        }
        if (nr == 0) {
          continue;
        }
        int cy = (int) ((ty + by + 0.5f) / 2);
        if (cy >= height) {
          continue;
        }
        for (int p = 0; p < nl; p++) {
          int li = lSel[p];
          int lx = l.xs()[li];
          float tl = ts + l.scores()[li];
          for (int q = 0; q < nr; q++) {
            int ri = rSel[q];
            int cx = (int) ((lx + r.xs()[ri] + 0.5f) / 2);
            if (cx >= width) {
              continue;
            }
            float ct;
            int groupClass;
            if (classAgnostic) {
              groupClass = 0;
              ct = Float.NEGATIVE_INFINITY;
              for (int c = 0; c < ctHeat.channels(); c++) {
                float v = activation.apply(ctHeat.finite(n, c, cy, cx));
                if (v > ct) {
                  ct = v;
                  groupClass = c;
                }
              }
            } else {
              groupClass = cls;
              ct = activation.apply(ctHeat.finite(n, cls, cy, cx));
            }
            if (ct < centerThreshold) {
              continue;
            }
            float score = (tl + b.scores()[bi] + r.scores()[ri] + 2 * ct) / 6;
            found.add(a, li, bi, ri, score, groupClass, ct);
          }
        }
      }
    }
    return found.sortedBest(numDets);
  }

  /** Indices of the peaks that pass the threshold, per class (one bucket when class-agnostic). */
  private static int[][] byClass(Peaks p, float threshold, boolean agnostic, int buckets) {
    int[] counts = new int[buckets];
    for (int i = 0; i < p.count(); i++) {
      int c = agnostic ? 0 : p.classes()[i];
      if (p.scores()[i] >= threshold && c < buckets) {
        counts[c]++;
      }
    }
    int[][] out = new int[buckets][];
    for (int c = 0; c < buckets; c++) {
      out[c] = new int[counts[c]];
    }
    int[] fill = new int[buckets];
    for (int i = 0; i < p.count(); i++) {
      int c = agnostic ? 0 : p.classes()[i];
      if (p.scores()[i] >= threshold && c < buckets) {
        out[c][fill[c]++] = i;
      }
    }
    return out;
  }

  /** Growable parallel arrays of found groups; one per call. */
  private static final class GroupList {
    private int size;
    private int[] t = new int[64];
    private int[] l = new int[64];
    private int[] b = new int[64];
    private int[] r = new int[64];
    private float[] score = new float[64];
    private int[] cls = new int[64];
    private float[] ct = new float[64];

    void add(int ti, int li, int bi, int ri, float s, int c, float centerScore) {
      if (size == t.length) {
        int cap = size * 2;
        t = Arrays.copyOf(t, cap);
        l = Arrays.copyOf(l, cap);
        b = Arrays.copyOf(b, cap);
        r = Arrays.copyOf(r, cap);
        score = Arrays.copyOf(score, cap);
        cls = Arrays.copyOf(cls, cap);
        ct = Arrays.copyOf(ct, cap);
      }
      t[size] = ti;
      l[size] = li;
      b[size] = bi;
      r[size] = ri;
      score[size] = s;
      cls[size] = c;
      ct[size] = centerScore;
      size++;
    }

    Groups sortedBest(int limit) {
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(
          order,
          (x, y) -> {
            int c = Float.compare(score[y], score[x]);
            if (c != 0) {
              return c;
            }
            c = Integer.compare(t[x], t[y]);
            if (c != 0) {
              return c;
            }
            c = Integer.compare(l[x], l[y]);
            if (c != 0) {
              return c;
            }
            c = Integer.compare(b[x], b[y]);
            return c != 0 ? c : Integer.compare(r[x], r[y]);
          });
      int kept = Math.min(size, limit);
      Groups g =
          new Groups(
              kept, new int[kept], new int[kept], new int[kept], new int[kept], new float[kept], new int[kept],
              new float[kept]);
      for (int i = 0; i < kept; i++) {
        int j = order[i];
        g.t()[i] = t[j];
        g.l()[i] = l[j];
        g.b()[i] = b[j];
        g.r()[i] = r[j];
        g.score()[i] = score[j];
        g.classId()[i] = cls[j];
        g.centerScore()[i] = ct[j];
      }
      return g;
    }
  }
}
