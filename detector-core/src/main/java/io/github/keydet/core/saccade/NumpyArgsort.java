package io.github.keydet.core.saccade;

/**
 * numpy's default {@code argsort} (kind "quicksort": introsort) of doubles, reproduced so that equal values come
 * out in the order CornerNet-Saccade's test code sees: its location NMS takes {@code argsort(scores)[::-1]}, and
 * every location from a detection has score 1, so the order among ties decides which crops are kept. The algorithm:
 * median-of-three quicksort partitions (the pivot parked at {@code right - 1}), the larger side deferred on a
 * stack, insertion sort for partitions of at most 16 elements, heapsort for a partition once the depth budget
 * {@code 2 * floor(log2 n)} is spent. NaN sorts last. Stateless.
 */
final class NumpyArgsort {
  private static final int SMALL = 15;

  private NumpyArgsort() {}

  /** The indices that sort {@code v} ascending, as {@code numpy.argsort(v)}. */
  static int[] argsort(double[] v) {
    int n = v.length;
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    if (n < 2) {
      return a;
    }
    int[] stack = new int[256];
    int[] depths = new int[128];
    int sp = 0;
    int dp = 0;
    int lo = 0;
    int hi = n - 1;
    int depth = 2 * (31 - Integer.numberOfLeadingZeros(n));
    while (true) {
      if (depth < 0) {
        heapsort(v, a, lo, hi - lo + 1);
      } else {
        while (hi - lo > SMALL) {
          int mid = lo + ((hi - lo) >> 1);
          if (less(v[a[mid]], v[a[lo]])) {
            swap(a, mid, lo);
          }
          if (less(v[a[hi]], v[a[mid]])) {
            swap(a, hi, mid);
          }
          if (less(v[a[mid]], v[a[lo]])) {
            swap(a, mid, lo);
          }
          double pivot = v[a[mid]];
          int i = lo;
          int j = hi - 1;
          swap(a, mid, j);
          while (true) {
            do {
              i++;
            } while (less(v[a[i]], pivot));
            do {
              j--;
            } while (less(pivot, v[a[j]]));
            if (i >= j) {
              break;
            }
            swap(a, i, j);
          }
          swap(a, i, hi - 1);
          if (i - lo < hi - i) {
            stack[sp++] = i + 1;
            stack[sp++] = hi;
            hi = i - 1;
          } else {
            stack[sp++] = lo;
            stack[sp++] = i - 1;
            lo = i + 1;
          }
          depths[dp++] = --depth;
        }
        for (int i = lo + 1; i <= hi; i++) {
          int vi = a[i];
          double x = v[vi];
          int j = i;
          while (j > lo && less(x, v[a[j - 1]])) {
            a[j] = a[j - 1];
            j--;
          }
          a[j] = vi;
        }
      }
      if (sp == 0) {
        return a;
      }
      hi = stack[--sp];
      lo = stack[--sp];
      depth = depths[--dp];
    }
  }

  /** numpy's order of doubles: NaN after every number. */
  private static boolean less(double a, double b) {
    return a < b || (b != b && a == a);
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  /** Heapsort of {@code a[off .. off + n)} by value (1-based heap over that range). */
  private static void heapsort(double[] v, int[] a, int off, int n) {
    int base = off - 1;
    for (int l = n >> 1; l > 0; l--) {
      sift(v, a, base, l, n, a[base + l]);
    }
    for (int m = n; m > 1; ) {
      int tmp = a[base + m];
      a[base + m] = a[base + 1];
      m--;
      sift(v, a, base, 1, m, tmp);
    }
  }

  private static void sift(double[] v, int[] a, int base, int start, int n, int tmp) {
    int i = start;
    int j = start << 1;
    while (j <= n) {
      if (j < n && less(v[a[base + j]], v[a[base + j + 1]])) {
        j++;
      }
      if (less(v[tmp], v[a[base + j]])) {
        a[base + i] = a[base + j];
        i = j;
        j += j;
      } else {
        break;
      }
    }
    a[base + i] = tmp;
  }
}
