package io.github.keydet.core.decode;

import java.util.Arrays;

/**
 * A bounded binary min-heap that keeps the K best of the {@code (value, order)} entries offered to it — the one
 * top-K heap of the decoders ({@link PeakTopK}'s selection, the pruned ExtremeNet aggregation's K-th candidate
 * and, with negated keys, its queue of lines).
 *
 * <p>Order of entries: a larger value is better; between equal values ({@code ==}, so -0 equals +0) the smaller
 * order is better. The root is the worst kept entry, so a full heap rejects an entry that does not beat it with
 * one comparison. Values must not be NaN (a NaN is never admitted by {@link #offer}, and {@link #heapify} must
 * not be given one). Orders are the caller's: a scan position, a line index, or 0 when only the values matter.
 *
 * <p>Mutable and not thread-safe: one per selection.
 */
final class TopKHeap {
  private final float[] value;
  private final long[] order;
  private int size;

  /** An empty heap that keeps at most {@code k} entries ({@code k > 0}). */
  TopKHeap(int k) {
    value = new float[k];
    order = new long[k];
  }

  /**
   * A full heap of capacity {@code values.length} holding all the given entries, built in linear time. The arrays
   * are taken over, not copied.
   */
  static TopKHeap heapify(float[] values, long[] orders) {
    if (values.length != orders.length) {
      throw new IllegalArgumentException(values.length + " values but " + orders.length + " orders");
    }
    TopKHeap h = new TopKHeap(values, orders);
    for (int i = h.size / 2 - 1; i >= 0; i--) {
      h.siftDown(i, values[i], orders[i]);
    }
    return h;
  }

  private TopKHeap(float[] values, long[] orders) {
    value = values;
    order = orders;
    size = values.length;
  }

  /** The most entries it keeps. */
  int capacity() {
    return value.length;
  }

  /** The number of entries kept. */
  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Whether it holds K entries, so that an entry gets in only by beating the worst. */
  boolean isFull() {
    return size == value.length;
  }

  /** The value of the worst kept entry; the heap must not be empty. */
  float worstValue() {
    return value[0];
  }

  /** The order of the worst kept entry; the heap must not be empty. */
  long worstOrder() {
    return order[0];
  }

  /** Whether {@link #offer} would keep the entry: the heap is not full, or the entry beats the worst kept. */
  boolean admits(float v, long ord) {
    return size < value.length || v > value[0] || (v == value[0] && ord < order[0]);
  }

  /**
   * Keeps the entry if {@link #admits} says so, dropping the worst kept one when the heap is full.
   *
   * @return whether the entry was kept
   */
  boolean offer(float v, long ord) {
    if (size < value.length) {
      siftUp(size++, v, ord);
      return true;
    }
    if (v > value[0] || (v == value[0] && ord < order[0])) {
      siftDown(0, v, ord);
      return true;
    }
    return false;
  }

  /** Empties the heap, keeping its capacity. */
  void clear() {
    size = 0;
  }

  /** Removes the worst kept entry and returns its order; the heap must not be empty. */
  long pollWorst() {
    long ord = order[0];
    size--;
    siftDown(0, value[size], order[size]);
    return ord;
  }

  /**
   * The positions of the kept entries, best first, for {@link #valueAt} and {@link #orderAt}: value descending by
   * {@link Float#compare} (so +0 before -0, unlike the heap's own order), then order ascending. The heap is not
   * changed.
   */
  int[] bestFirst() {
    if (size <= 64) {
      // small heaps (a decoder's per-channel selections): a primitive insertion sort, same order as below
      int[] out = new int[size];
      for (int i = 0; i < size; i++) {
        int j = i;
        while (j > 0 && sortsBefore(i, out[j - 1])) {
          out[j] = out[j - 1];
          j--;
        }
        out[j] = i;
      }
      return out;
    }
    Integer[] idx = new Integer[size];
    for (int i = 0; i < size; i++) {
      idx[i] = i;
    }
    Arrays.sort(
        idx,
        (a, b) -> {
          int cmp = Float.compare(value[b], value[a]);
          return cmp != 0 ? cmp : Long.compare(order[a], order[b]);
        });
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  /** Whether entry {@code a} comes before entry {@code b} in {@link #bestFirst} order. */
  private boolean sortsBefore(int a, int b) {
    int cmp = Float.compare(value[b], value[a]);
    return cmp != 0 ? cmp < 0 : order[a] < order[b];
  }

  /** The value at a position of {@link #bestFirst}. */
  float valueAt(int position) {
    return value[position];
  }

  /** The order at a position of {@link #bestFirst}. */
  long orderAt(int position) {
    return order[position];
  }

  /** Entry {@code (va, oa)} is worse than {@code (vb, ob)}. */
  private static boolean worse(float va, long oa, float vb, long ob) {
    return va < vb || (va == vb && oa > ob);
  }

  /** Places {@code (v, ord)} from hole {@code i} upwards: parents worse than it move down. */
  private void siftUp(int i, float v, long ord) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(v, ord, value[parent], order[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    set(i, v, ord);
  }

  /** Places {@code (v, ord)} from hole {@code i} downwards: the worse child moves up while it is worse than it. */
  private void siftDown(int i, float v, long ord) {
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && worse(value[child + 1], order[child + 1], value[child], order[child])) {
        child++;
      }
      if (!worse(value[child], order[child], v, ord)) {
        break;
      }
      move(child, i);
      i = child;
    }
    set(i, v, ord);
  }

  private void move(int from, int to) {
    value[to] = value[from];
    order[to] = order[from];
  }

  private void set(int i, float v, long ord) {
    value[i] = v;
    order[i] = ord;
  }
}
