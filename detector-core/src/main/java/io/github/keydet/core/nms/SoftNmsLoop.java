package io.github.keydet.core.nms;

import java.util.Arrays;

/**
 * One run of the original soft-NMS loop (see {@link Nms#softNms}) without its quadratic scan.
 *
 * <p>The original walks every later row at every step. Which boxes a step decays, and by how much, does not
 * depend on the order it visits them in; row positions matter only for ties (the first row of the largest score
 * is selected), for the merge sums (added in visit order) and for the rows the drops rewrite (a dropped row is
 * refilled from the last row, and the moved box is visited next). So each step finds the boxes overlapping the
 * selected one through an index sorted by x1, decays them, and replays the original's row moves on just the
 * boxes involved. Rows, scores and merged boxes come out bit for bit as the original's. Single use, not
 * thread-safe.
 */
final class SoftNmsLoop {
  /** Row of a dropped box in {@link #rowOf}: never inside the live range. */
  private static final int DROPPED = Integer.MAX_VALUE;
  /** Up to this many boxes are put in row order by insertion sort. */
  private static final int INSERTION_SORT_MAX = 24;

  // coordinates by box; merging rewrites a box once it is selected, when nothing reads it any more
  private final float[] x1;
  private final float[] y1;
  private final float[] x2;
  private final float[] y2;
  private final float[] s; // score by row
  private final int[] idx; // row -> box
  private final int[] rowOf; // box -> row, or DROPPED
  private final float[] tw; // merge weights by row, or null
  private final float[] bw;
  private final boolean gaussian;
  private final boolean linear;
  private final float nt;
  private final float sigma;
  private final float threshold;
  private final double weightExp;
  private final SoftNmsIndex index;
  private final int[] hits; // boxes overlapping the selected one
  private final float[] ovOf; // by box: IoU with the selected box, valid for this step's hits
  private final int[] hitStep; // by box: step + 1 when it is one of this step's hits (merge) or drops (plain)
  private long[] rowKeys = new long[0];
  /** Live rows are {@code [0, n)}; rows before the current step are the selected boxes. */
  private int n;

  SoftNmsLoop(float[] boxes, float[] scores, float[] tw, float[] bw, SoftNmsOptions o) {
    int n0 = scores.length;
    x1 = new float[n0];
    y1 = new float[n0];
    x2 = new float[n0];
    y2 = new float[n0];
    for (int b = 0; b < n0; b++) {
      x1[b] = boxes[4 * b];
      y1[b] = boxes[4 * b + 1];
      x2[b] = boxes[4 * b + 2];
      y2[b] = boxes[4 * b + 3];
    }
    s = scores.clone();
    idx = new int[n0];
    rowOf = new int[n0];
    for (int b = 0; b < n0; b++) {
      idx[b] = b;
      rowOf[b] = b;
    }
    this.tw = tw;
    this.bw = bw;
    gaussian = o.method() == SoftNmsMethod.GAUSSIAN;
    linear = o.method() == SoftNmsMethod.LINEAR;
    nt = o.nt();
    sigma = o.sigma();
    threshold = o.threshold();
    weightExp = o.weightExp();
    index = new SoftNmsIndex(x1, y1, x2, y2, o.pixelInclusive());
    hits = new int[n0];
    ovOf = new float[n0];
    hitStep = new int[n0];
    n = n0;
  }

  NmsResult run() {
    for (int i = 0; i < n; i++) {
      select(i, firstMax(i));
      int t = idx[i];
      int m = index.overlapping(x1[t], y1[t], x2[t], y2[t], rowOf, i, n, hits, ovOf);
      if (tw == null) {
        decay(i, m);
      } else {
        decayAndMerge(i, t, m);
      }
      index.compactIfSparse(rowOf, i, n);
    }
    int[] kept = Arrays.copyOf(idx, n);
    float[] boxes = new float[4 * n];
    for (int r = 0; r < n; r++) {
      int b = kept[r];
      boxes[4 * r] = x1[b];
      boxes[4 * r + 1] = y1[b];
      boxes[4 * r + 2] = x2[b];
      boxes[4 * r + 3] = y2[b];
    }
    return new NmsResult(kept, Arrays.copyOf(s, n), boxes);
  }

  /**
   * First row in {@code [from, n)} holding the largest score, by the original's strict {@code <} scan. (The
   * running maximum rarely changes, so the branch predicts well; a {@code Math.max} reduction measured slower.)
   */
  private int firstMax(int from) {
    float max = s[from];
    int at = from;
    for (int r = from + 1; r < n; r++) {
      if (max < s[r]) {
        max = s[r];
        at = r;
      }
    }
    return at;
  }

  /** Swaps the selected row into row i. */
  private void select(int i, int maxpos) {
    if (maxpos == i) {
      return;
    }
    int a = idx[i];
    int b = idx[maxpos];
    idx[i] = b;
    idx[maxpos] = a;
    rowOf[b] = i;
    rowOf[a] = maxpos;
    float t = s[i];
    s[i] = s[maxpos];
    s[maxpos] = t;
  }

  private float weight(float ov) {
    if (gaussian) {
      return (float) Math.exp(-(ov * ov) / sigma);
    } else if (linear) {
      return ov > nt ? 1f - ov : 1f;
    }
    return ov > nt ? 0f : 1f;
  }

  /**
   * Step i without merging: the visit order only matters for the drops, so every hit is decayed where it stands
   * and only the dropped ones are put in row order and replayed.
   */
  private void decay(int i, int m) {
    int stamp = i + 1;
    int d = 0;
    for (int k = 0; k < m; k++) {
      int b = hits[k];
      int p = rowOf[b];
      float v = weight(ovOf[b]) * s[p];
      s[p] = v;
      if (v < threshold) {
        hits[d++] = b;
        hitStep[b] = stamp;
      }
    }
    sortByRow(d);
    int end = d - 1;
    for (int next = 0; next <= end; next++) {
      int b = hits[next];
      int p = rowOf[b];
      while (true) {
        int moved = drop(b, p);
        if (moved < 0 || hitStep[moved] != stamp) {
          break; // a moved-in box that is no drop stays: its decay was applied above
        }
        // a dropped box on the last row is the one with the highest row still to replay
        end--;
        b = moved;
      }
    }
  }

  /**
   * Step i of {@code soft_nms_merge}: the merge sums are float additions in the original's visit order, so all
   * hits are put in row order and the whole pass is replayed.
   */
  private void decayAndMerge(int i, int t, int m) {
    int stamp = i + 1;
    for (int k = 0; k < m; k++) {
      hitStep[hits[k]] = stamp;
    }
    sortByRow(m, i);
    float mx1 = x1[t] * tw[i];
    float my1 = y1[t] * tw[i];
    float mx2 = x2[t] * bw[i];
    float my2 = y2[t] * bw[i];
    float mts = tw[i];
    float mbs = bw[i];
    int end = m - 1;
    for (int next = 0; next <= end; next++) {
      int b = hits[next];
      int p = rowOf[b];
      while (true) {
        float weight = weight(ovOf[b]);
        // the weight columns are positional in the original: the row's, not the box's
        float mw = (float) Math.pow(1f - weight, weightExp);
        mx1 = mx1 + x1[b] * tw[p] * mw;
        my1 = my1 + y1[b] * tw[p] * mw;
        mx2 = mx2 + x2[b] * bw[p] * mw;
        my2 = my2 + y2[b] * bw[p] * mw;
        mts = mts + tw[p] * mw;
        mbs = mbs + bw[p] * mw;
        s[p] = weight * s[p];
        if (!(s[p] < threshold)) {
          break;
        }
        int moved = drop(b, p);
        if (moved < 0 || hitStep[moved] != stamp) {
          break; // nothing moved in, or no overlap: the visit changes nothing
        }
        // an overlapping box on the last row is the one with the highest row still to visit
        end--;
        b = moved;
      }
    }
    x1[t] = mx1 / mts;
    y1[t] = my1 / mts;
    x2[t] = mx2 / mbs;
    y2[t] = my2 / mbs;
  }

  /**
   * Drops box b from row p as the original does: the last live row moves into p (the original visits it next).
   *
   * @return the box moved into row p, or -1 when p was the last live row
   */
  private int drop(int b, int p) {
    rowOf[b] = DROPPED;
    int last = --n;
    if (last == p) {
      return -1;
    }
    int moved = idx[last];
    idx[p] = moved;
    s[p] = s[last];
    rowOf[moved] = p;
    return moved;
  }

  /** Puts {@code hits[0, m)} in increasing row order. */
  private void sortByRow(int m) {
    sortByRow(m, -1);
  }

  /**
   * Puts {@code hits[0, m)} in increasing row order: insertion sort when there are few, one pass over the live
   * rows after {@code i} when they are a large share of them (only when {@code i >= 0}: all hits are marked in
   * {@link #hitStep}), else a sort of (row, box) keys.
   */
  private void sortByRow(int m, int i) {
    if (m <= INSERTION_SORT_MAX) {
      for (int a = 1; a < m; a++) {
        int b = hits[a];
        int rb = rowOf[b];
        int c = a - 1;
        while (c >= 0 && rowOf[hits[c]] > rb) {
          hits[c + 1] = hits[c];
          c--;
        }
        hits[c + 1] = b;
      }
      return;
    }
    if (i >= 0 && 8L * m >= n - i) {
      int stamp = i + 1;
      int k = 0;
      for (int r = i + 1; r < n; r++) {
        int b = idx[r];
        if (hitStep[b] == stamp) {
          hits[k++] = b;
        }
      }
      return;
    }
    if (rowKeys.length < m) {
      rowKeys = new long[Math.max(m, 2 * rowKeys.length)];
    }
    for (int k = 0; k < m; k++) {
      rowKeys[k] = ((long) rowOf[hits[k]] << 32) | hits[k];
    }
    Arrays.sort(rowKeys, 0, m);
    for (int k = 0; k < m; k++) {
      hits[k] = (int) rowKeys[k];
    }
  }
}
