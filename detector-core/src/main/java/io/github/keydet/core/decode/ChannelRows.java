package io.github.keydet.core.decode;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Scratch of {@link PeakScan}'s band scan of one H x W heatmap channel: the channel copied row by row, each row
 * with a -inf column on either side ({@code row(y)[1 + x]} is column x) and a row of -inf above and below; for a
 * band of up to {@link #BAND} rows the maximum of each column and the list of the columns whose maximum is not at or
 * below a threshold, and the cells of those columns that may be peaks: above a threshold and not below their four
 * nearest neighbours.
 *
 * <p>Why rows: the column maxima of a band are an element-wise maximum of whole rows, which the JIT turns into
 * vector instructions only when every array is read at the same index; rows of one flat array sit a run-time
 * distance apart, separate arrays do not. A column whose band maximum is at or below the threshold holds no value
 * above it in any row of the band, so the scan looks only at the listed columns. {@link Math#max} returns NaN when
 * either value is NaN, so a column holding a NaN is always listed.
 *
 * <p>Mutable, one per decoding thread; reused for every channel of the same size, with its selection heap.
 */
final class ChannelRows {
  /** Rows per band. */
  static final int BAND = 8;

  private final int height;
  private final int width;
  private final float[][] rows;
  private final float[] columnMax;
  private final int[] columns;
  /** Cells (y·W + x) of a band that may be peaks, in scan order. */
  private final int[] candidates;
  /** A flat H·W plane for the scans that do not use the rows (allocated on first use). */
  private float[] plane;
  /** The selection heap of the channel scans, reused from channel to channel (allocated on first use). */
  private TopKHeap heap;

  /** Scratch for H x W channels. */
  ChannelRows(int height, int width) {
    this.height = height;
    this.width = width;
    rows = new float[height + 2][width + 2];
    Arrays.fill(rows[0], Float.NEGATIVE_INFINITY);
    Arrays.fill(rows[height + 1], Float.NEGATIVE_INFINITY);
    for (float[] r : rows) {
      r[0] = Float.NEGATIVE_INFINITY;
      r[width + 1] = Float.NEGATIVE_INFINITY;
    }
    columnMax = new float[width + 2];
    columns = new int[width];
    candidates = new int[BAND * width];
  }

  /** Whether it holds channels of this size. */
  boolean fits(int h, int w) {
    return h == height && w == width;
  }

  /** A flat H·W scratch plane, for the scans that copy the channel in one piece (logits, no floor, kernel 1). */
  float[] plane() {
    if (plane == null) {
      plane = new float[height * width];
    }
    return plane;
  }

  /**
   * An empty heap of capacity {@code k} for the next channel's selection: the last one, emptied, when its capacity
   * is {@code k}. The scan of the channel before must be done with it (its result copied out).
   */
  TopKHeap emptyHeap(int k) {
    if (heap == null || heap.capacity() != k) {
      heap = new TopKHeap(k);
    }
    heap.clear();
    return heap;
  }

  /** Row y for -1 <= y <= H: column x at index 1 + x, -inf at 0 and W + 1; rows -1 and H are all -inf. */
  float[] row(int y) {
    return rows[y + 1];
  }

  /**
   * Copies a contiguous row-major channel whose value (y, x) is at buffer index {@code start + y·W + x}, from the
   * heap array (index {@code arrOff} + buffer index) when there is one, else from the buffer.
   */
  void load(FloatBuffer buf, float[] arr, int arrOff, int start) {
    for (int y = 0; y < height; y++) {
      int from = start + y * width;
      if (arr != null) {
        System.arraycopy(arr, arrOff + from, rows[y + 1], 1, width);
      } else {
        buf.get(from, rows[y + 1], 1, width);
      }
    }
  }

  /**
   * Lists the columns of rows [y0, y1) whose maximum is not at or below {@code thr} (NaN included), in
   * increasing order; they are then {@link #column}(0 ... count - 1).
   *
   * @return the number of listed columns
   */
  int columnsAbove(int y0, int y1, float thr) {
    float[] m = columnMax;
    if (y1 - y0 == BAND) {
      // a full band in two loops of four rows: fewer loads and stores of m than row by row, and the JIT still
      // vectorises a loop over five arrays (over nine it does not)
      float[] r0 = rows[y0 + 1];
      float[] r1 = rows[y0 + 2];
      float[] r2 = rows[y0 + 3];
      float[] r3 = rows[y0 + 4];
      for (int i = 0; i < m.length; i++) {
        m[i] = Math.max(Math.max(r0[i], r1[i]), Math.max(r2[i], r3[i]));
      }
      float[] r4 = rows[y0 + 5];
      float[] r5 = rows[y0 + 6];
      float[] r6 = rows[y0 + 7];
      float[] r7 = rows[y0 + 8];
      for (int i = 0; i < m.length; i++) {
        m[i] = Math.max(m[i], Math.max(Math.max(r4[i], r5[i]), Math.max(r6[i], r7[i])));
      }
    } else {
      System.arraycopy(rows[y0 + 1], 0, m, 0, width + 2);
      for (int y = y0 + 1; y < y1; y++) {
        float[] r = rows[y + 1];
        for (int i = 0; i < m.length; i++) {
          m[i] = Math.max(m[i], r[i]);
        }
      }
    }
    int count = 0;
    int[] out = columns;
    for (int x = 0; x < width; x++) {
      out[count] = x;
      count += m[x + 1] <= thr ? 0 : 1; // no branch: about half the columns of a band with blobs are listed
    }
    return count;
  }

  /** The i-th column listed by the last {@link #columnsAbove}. */
  int column(int i) {
    return columns[i];
  }

  /**
   * Lists the cells of rows [y0, y1) in the first {@code count} columns of {@link #columnsAbove} whose value is
   * above {@code thr} and not below any of its four nearest neighbours, and the NaN cells, in scan order (row by
   * row, columns increasing); they are then {@link #candidate}(0 ... result - 1), as y·W + x. One branch-free
   * loop per row: most listed cells are no candidate, and the few that are cannot be predicted.
   */
  int peakCandidates(int y0, int y1, int count, float thr) {
    int[] in = columns;
    int[] out = candidates;
    int n = 0;
    for (int y = y0; y < y1; y++) {
      float[] up = rows[y];
      float[] r = rows[y + 1];
      float[] down = rows[y + 2];
      int rowStart = y * width - 1;
      for (int i = 0; i < count; i++) {
        int x = in[i] + 1;
        float v = r[x];
        out[n] = rowStart + x;
        n += (v > thr & v >= r[x - 1] & v >= r[x + 1] & v >= up[x] & v >= down[x]) | v != v ? 1 : 0;
      }
    }
    return n;
  }

  /** The i-th cell (y·W + x) listed by the last {@link #peakCandidates}. */
  int candidate(int i) {
    return candidates[i];
  }
}
