package io.github.keydet.core.decode;

import io.github.keydet.core.heads.HeadView;

import io.github.keydet.api.InvalidInputException;

/**
 * Geometry of the lines of one map of ExtremeNet's edge aggregation, batch item {@code n}: the rows of each channel
 * for t/b maps ({@code horizontal}), the columns for l/r; {@code count} lines of {@code len} values each.
 */
record EdgeLines(HeadView heat, int n, boolean horizontal, int channels, int h, int w, int count, int len) {
  static EdgeLines of(HeadView heat, int n, boolean horizontal) {
    int c = heat.channels();
    int h = heat.height();
    int w = heat.width();
    return new EdgeLines(heat, n, horizontal, c, h, w, horizontal ? c * h : c * w, horizontal ? w : h);
  }

  /** Lines per channel: the line's index across the lines of its channel is {@code line % across()}. */
  int across() {
    return horizontal ? h : w;
  }

  /** Buffer index in the head of position 0 of a line. */
  int sourceStart(int line) {
    return horizontal ? heat.index(n, line / h, line % h, 0) : heat.index(n, line / w, 0, line % w);
  }

  /** Buffer index step between positions of a line. */
  int sourceStep() {
    return horizontal ? heat.strideX() : heat.strideY();
  }

  /** Index in the NCHW output map of position 0 of a line (also the order PeakTopK breaks ties by). */
  int targetStart(int line) {
    return horizontal ? line * w : (line / w) * h * w + line % w;
  }

  /** Output index step between positions of a line. */
  int targetStep() {
    return horizontal ? 1 : w;
  }

  /** The error for a NaN at position {@code i} of {@code line}, naming its channel and cell. */
  InvalidInputException nanAt(int line, int i) {
    int c = horizontal ? line / h : line / w;
    int y = horizontal ? line % h : i;
    int x = horizontal ? i : line % w;
    return new InvalidInputException(
        "NaN in heatmap '" + heat.name() + "' at batch " + n + ", channel " + c + ", y " + y + ", x " + x);
  }
}
