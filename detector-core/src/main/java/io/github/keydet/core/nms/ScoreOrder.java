package io.github.keydet.core.nms;

/**
 * Stable descending orders of scores, as numpy's {@code argsort(-scores, kind='mergesort')}: equal scores keep
 * their input order, and -0.0 equals 0.0. Shared by suppression and evaluation so there is one definition.
 */
public final class ScoreOrder {
  private ScoreOrder() {}

  /** Indices {@code 0..n-1} ordered by descending score, ties in input order. Scores must not be NaN. */
  public static int[] descending(float[] scores) {
    double[] d = new double[scores.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = scores[i];
    }
    return descending(d);
  }

  /** Indices {@code 0..n-1} ordered by descending score, ties in input order. Scores must not be NaN. */
  public static int[] descending(double[] scores) {
    int n = scores.length;
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    sortDescending(idx, 0, n, scores);
    return idx;
  }

  /**
   * Stable in-place sort of {@code idx[from, to)} by descending {@code keys[idx[i]]}, ties keeping their
   * current relative order.
   */
  public static void sortDescending(int[] idx, int from, int to, double[] keys) {
    int n = to - from;
    if (n < 2) {
      return;
    }
    // already sorted? (common for detections written in score order)
    boolean sorted = true;
    for (int i = from + 1; i < to; i++) {
      if (keys[idx[i]] > keys[idx[i - 1]]) {
        sorted = false;
        break;
      }
    }
    if (sorted) {
      return;
    }
    int[] buf = new int[n];
    mergeSort(idx, buf, from, to, keys);
  }

  private static void mergeSort(int[] a, int[] buf, int from, int to, double[] keys) {
    int n = to - from;
    if (n <= 16) {
      for (int i = from + 1; i < to; i++) {
        int v = a[i];
        double k = keys[v];
        int j = i - 1;
        while (j >= from && keys[a[j]] < k) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, buf, from, mid, keys);
    mergeSort(a, buf, mid, to, keys);
    if (!(keys[a[mid]] > keys[a[mid - 1]])) {
      return;
    }
    System.arraycopy(a, from, buf, 0, n);
    int i = 0;
    int iEnd = mid - from;
    int j = iEnd;
    int k = from;
    while (i < iEnd && j < n) {
      // take from the right only when strictly greater: stability
      if (keys[buf[j]] > keys[buf[i]]) {
        a[k++] = buf[j++];
      } else {
        a[k++] = buf[i++];
      }
    }
    while (i < iEnd) {
      a[k++] = buf[i++];
    }
    while (j < n) {
      a[k++] = buf[j++];
    }
  }
}
