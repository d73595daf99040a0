package io.github.keydet.core.decode;

import java.nio.FloatBuffer;

/**
 * The skip loops of {@link PeakScan}: the first position of a run of head values whose value is not {@code <=} a
 * threshold (NaN is never skipped: {@code NaN <= t} is false). Static and stateless; the buffer variant takes the
 * caller's scratch array.
 */
final class RunSkip {
  private RunSkip() {}

  /**
   * The first position in [from, to) of a contiguous run from {@code a[base]} whose value is not {@code <= thr}, or
   * {@code to}. Blocks of 16 are tested with non-short-circuit {@code &}: one well-predicted branch per block (16
   * measured ~15% faster than 8).
   */
  static int array(float[] a, int base, int from, int to, float thr) {
    int j = base + from;
    int end = base + to;
    if (j < end && !(a[j] <= thr)) {
      return from; // in a run of values above the threshold (a blob), the next one usually is too
    }
    while (j + 16 <= end) {
      // a balanced tree of &, not a chain: the four groups are independent (measured ~25% faster)
      boolean b0 = (a[j] <= thr & a[j + 1] <= thr) & (a[j + 2] <= thr & a[j + 3] <= thr);
      boolean b1 = (a[j + 4] <= thr & a[j + 5] <= thr) & (a[j + 6] <= thr & a[j + 7] <= thr);
      boolean b2 = (a[j + 8] <= thr & a[j + 9] <= thr) & (a[j + 10] <= thr & a[j + 11] <= thr);
      boolean b3 = (a[j + 12] <= thr & a[j + 13] <= thr) & (a[j + 14] <= thr & a[j + 15] <= thr);
      if (!((b0 & b1) & (b2 & b3))) {
        break;
      }
      j += 16;
    }
    while (j < end && a[j] <= thr) {
      j++;
    }
    return j - base;
  }

  /** As {@link #array} for a run whose elements are {@code step} apart. */
  static int arrayStrided(float[] a, int base, int from, int to, int step, float thr) {
    int q = from;
    int j = base + from * step;
    while (q < to && a[j] <= thr) {
      q++;
      j += step;
    }
    return q;
  }

  /**
   * As {@link #array} on a (direct) buffer: contiguous runs are bulk-copied into the heap array {@code chunk} and
   * skipped there, which is about twice as fast as per-element {@code get}. Chunks start small and double while
   * nothing is found, so closely spaced candidates do not pay for long copies.
   */
  static int buffer(FloatBuffer b, float[] chunk, int base, int from, int to, int step, float thr) {
    int q = from;
    if (step == 1) {
      int size = 16;
      while (q < to) {
        int len = Math.min(size, to - q);
        b.get(base + q, chunk, 0, len);
        int j = array(chunk, 0, 0, len, thr);
        q += j;
        if (j < len) {
          return q;
        }
        size = Math.min(2 * size, chunk.length);
      }
      return q;
    }
    int j = base + from * step;
    while (q < to && b.get(j) <= thr) {
      q++;
      j += step;
    }
    return q;
  }
}
