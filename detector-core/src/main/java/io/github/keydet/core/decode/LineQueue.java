package io.github.keydet.core.decode;

/**
 * The lines of a pruned ExtremeNet aggregation by bound, best first: bound descending, then line ascending. A
 * {@link TopKHeap} of every line, built in linear time, whose worst entry is the best line: values are the
 * negated bounds and orders the negated line numbers. Only the lines that get aggregated are ever taken out, a
 * small part of all. Bounds must be finite (they are positive).
 */
final class LineQueue {
  private final TopKHeap heap;

  LineQueue(float[] bound) {
    float[] negBound = new float[bound.length];
    long[] negLine = new long[bound.length];
    for (int line = 0; line < bound.length; line++) {
      negBound[line] = -bound[line];
      negLine[line] = -line;
    }
    heap = TopKHeap.heapify(negBound, negLine);
  }

  boolean isEmpty() {
    return heap.isEmpty();
  }

  /** The best remaining line. */
  int peek() {
    return (int) -heap.worstOrder();
  }

  /** Takes out the best remaining line. */
  int poll() {
    return (int) -heap.pollWorst();
  }
}
