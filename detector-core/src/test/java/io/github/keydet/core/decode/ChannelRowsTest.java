package io.github.keydet.core.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ChannelRows} (row copy, band column listing, peak candidates) against plain loops over the channel, and
 * the band scan it serves ({@link PeakTopK#selectChannel(HeadView, int, int, int, int, Activation, float,
 * ChannelRows)}) against a plain peak NMS plus sort, and against the flat-plane scan.
 */
class ChannelRowsTest {

  /** Values with ties, zeros, -0, infinities, values above 1 and below 0. */
  private static float value(Random rnd) {
    switch (rnd.nextInt(12)) {
      case 0:
        return 0f;
      case 1:
        return -0f;
      case 2:
        return rnd.nextInt(4) / 4f; // ties
      case 3:
        return rnd.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
      case 4:
        return -rnd.nextFloat();
      case 5:
        return 1f + rnd.nextFloat();
      default:
        return rnd.nextFloat() * rnd.nextFloat();
    }
  }

  /** A view over {@code data}: 0 heap array, 1 direct buffer, 2 heap buffer starting at an offset. */
  private static HeadView view(int kind, float[] data, long[] shape) {
    if (kind == 0) {
      return HeadView.of("hm", data, shape, Layout.NCHW);
    }
    if (kind == 1) {
      FloatBuffer direct = ByteBuffer.allocateDirect(data.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
      direct.put(data).flip();
      return HeadView.of("hm", direct, shape, Layout.NCHW);
    }
    float[] padded = new float[data.length + 5];
    System.arraycopy(data, 0, padded, 5, data.length);
    FloatBuffer shifted = FloatBuffer.wrap(padded);
    shifted.position(5);
    return HeadView.of("hm", shifted.slice(), shape, Layout.NCHW);
  }

  @Test
  void rowsAndListsMatchPlainLoops() {
    Random rnd = new Random(5);
    for (int trial = 0; trial < 400; trial++) {
      int c = 1 + rnd.nextInt(3);
      int h = 1 + rnd.nextInt(20);
      int w = 1 + rnd.nextInt(20);
      float[] data = new float[c * h * w];
      for (int i = 0; i < data.length; i++) {
        data[i] = rnd.nextInt(40) == 0 ? Float.NaN : value(rnd);
      }
      HeadView v = view(trial % 3, data, new long[] {1, c, h, w});
      int ch = rnd.nextInt(c);
      ChannelRows rows = new ChannelRows(h, w);
      assertThat(rows.fits(h, w)).isTrue();
      assertThat(rows.fits(h + 1, w)).isFalse();
      rows.load(v.buffer(), v.heapArray(), v.arrayOffset(), v.index(0, ch, 0, 0));
      for (int y = -1; y <= h; y++) {
        float[] r = rows.row(y);
        assertThat(r).hasSize(w + 2);
        for (int i = 0; i < w + 2; i++) {
          float expected = y < 0 || y >= h || i == 0 || i == w + 1
              ? Float.NEGATIVE_INFINITY : data[(ch * h + y) * w + i - 1];
          assertThat(Float.floatToRawIntBits(r[i])).as("trial %d row %d index %d", trial, y, i)
              .isEqualTo(Float.floatToRawIntBits(expected));
        }
      }
      float thr = new float[] {0f, 0.1f, 0.5f, 1f, -0.5f}[rnd.nextInt(5)];
      int y0 = rnd.nextInt(h);
      int y1 = y0 + 1 + rnd.nextInt(Math.min(ChannelRows.BAND, h - y0));
      List<Integer> expected = new ArrayList<>();
      for (int x = 0; x < w; x++) {
        boolean any = false;
        for (int y = y0; y < y1; y++) {
          any |= !(data[(ch * h + y) * w + x] <= thr);
        }
        if (any) {
          expected.add(x);
        }
      }
      int count = rows.columnsAbove(y0, y1, thr);
      List<Integer> listed = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        listed.add(rows.column(i));
      }
      assertThat(listed).as("trial %d rows %d..%d thr %s", trial, y0, y1, thr).isEqualTo(expected);
      float candThr = thr + rnd.nextFloat() * 0.3f; // a threshold risen since the band's listing
      List<Integer> expectedCells = new ArrayList<>();
      for (int y = y0; y < y1; y++) {
        for (int x : expected) {
          float cell = data[(ch * h + y) * w + x];
          float left = x > 0 ? data[(ch * h + y) * w + x - 1] : Float.NEGATIVE_INFINITY;
          float right = x < w - 1 ? data[(ch * h + y) * w + x + 1] : Float.NEGATIVE_INFINITY;
          float up = y > 0 ? data[(ch * h + y - 1) * w + x] : Float.NEGATIVE_INFINITY;
          float down = y < h - 1 ? data[(ch * h + y + 1) * w + x] : Float.NEGATIVE_INFINITY;
          if (Float.isNaN(cell) || (cell > candThr && cell >= left && cell >= right && cell >= up && cell >= down)) {
            expectedCells.add(y * w + x);
          }
        }
      }
      int found = rows.peakCandidates(y0, y1, count, candThr);
      List<Integer> cells = new ArrayList<>();
      for (int i = 0; i < found; i++) {
        cells.add(rows.candidate(i));
      }
      assertThat(cells).as("trial %d rows %d..%d thr %s", trial, y0, y1, candThr).isEqualTo(expectedCells);
    }
  }

  private record Entry(float score, int y, int x) {}

  /** Plain peak NMS (-inf borders) of one channel, the peaks above {@code floor}, best first, at most K. */
  private static List<Entry> plainPeaks(float[] data, int ch, int h, int w, int kernel, float floor, int k) {
    int r = (kernel - 1) / 2;
    List<Entry> all = new ArrayList<>();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float v = data[(ch * h + y) * w + x];
        float max = Float.NEGATIVE_INFINITY;
        for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
          for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
            max = Math.max(max, data[(ch * h + yy) * w + xx]);
          }
        }
        float kept = max == v ? v : 0f;
        if (kept > floor) {
          all.add(new Entry(kept, y, x));
        }
      }
    }
    // stable sort: equal scores keep row-major order
    all.sort((a, b) -> Float.compare(b.score, a.score));
    return all.subList(0, Math.min(k, all.size()));
  }

  @Test
  void bandScanMatchesPlainPeaksAndTheFlatScan() {
    Random rnd = new Random(8);
    int compared = 0;
    for (int trial = 0; trial < 600; trial++) {
      int c = 1 + rnd.nextInt(2);
      int h = 1 + rnd.nextInt(30);
      int w = 1 + rnd.nextInt(30);
      int kernel = new int[] {1, 3, 3, 5}[rnd.nextInt(4)];
      float floor = new float[] {0f, 0.1f, 0.3f, 1f}[rnd.nextInt(4)];
      int k = 1 + rnd.nextInt(Math.min(h * w, trial % 2 == 0 ? 4 : 40)); // small K: the heap fills mid-row
      float[] data = new float[c * h * w];
      boolean sparse = rnd.nextBoolean();
      for (int i = 0; i < data.length; i++) {
        data[i] = sparse && rnd.nextInt(8) != 0 ? rnd.nextFloat() * 0.05f : value(rnd);
      }
      HeadView v = view(trial % 3, data, new long[] {1, c, h, w});
      ChannelRows rows = new ChannelRows(h, w);
      for (int ch = 0; ch < c; ch++) {
        String what = "trial " + trial + " c" + ch + " " + h + "x" + w + " kernel " + kernel + " floor " + floor
            + " k " + k;
        Peaks banded = PeakTopK.selectChannel(v, 0, ch, k, kernel, Activation.PROBABILITIES, floor, rows);
        Peaks flat = PeakTopK.selectChannel(v, 0, ch, k, kernel, Activation.PROBABILITIES, floor, new float[h * w]);
        List<Entry> expected = plainPeaks(data, ch, h, w, kernel, floor, k);
        assertThat(banded.count()).as(what).isEqualTo(expected.size());
        assertThat(flat.count()).as(what).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
          Entry e = expected.get(i);
          assertThat(Float.floatToRawIntBits(banded.scores()[i])).as(what + " entry " + i)
              .isEqualTo(Float.floatToRawIntBits(e.score));
          assertThat(banded.ys()[i]).as(what + " entry " + i).isEqualTo(e.y);
          assertThat(banded.xs()[i]).as(what + " entry " + i).isEqualTo(e.x);
          assertThat(banded.classes()[i]).as(what + " entry " + i).isEqualTo(ch);
          assertThat(flat.ys()[i] * w + flat.xs()[i]).as(what + " flat entry " + i).isEqualTo(e.y * w + e.x);
        }
        compared += expected.size();
      }
    }
    assertThat(compared).isGreaterThan(1000);
  }

  @Test
  void bandScanNamesTheFirstNaNInRowMajorOrder() {
    Random rnd = new Random(13);
    for (int trial = 0; trial < 200; trial++) {
      int h = 1 + rnd.nextInt(25);
      int w = 1 + rnd.nextInt(25);
      float[] data = new float[h * w];
      for (int i = 0; i < data.length; i++) {
        data[i] = rnd.nextFloat() * (rnd.nextBoolean() ? 0.05f : 1f);
      }
      int nans = 1 + rnd.nextInt(3);
      int first = Integer.MAX_VALUE;
      for (int i = 0; i < nans; i++) {
        int at = rnd.nextInt(data.length);
        data[at] = Float.NaN;
        first = Math.min(first, at);
      }
      HeadView v = view(trial % 3, data, new long[] {1, 1, h, w});
      float floor = new float[] {0f, 0.1f, 0.9f}[rnd.nextInt(3)];
      String message = "NaN in heatmap 'hm' at batch 0, channel 0, y " + first / w + ", x " + first % w;
      int k = 1 + rnd.nextInt(h * w);
      assertThatThrownBy(() -> PeakTopK.selectChannel(v, 0, 0, k, 3, Activation.PROBABILITIES, floor,
          new ChannelRows(h, w))).isInstanceOf(InvalidInputException.class).hasMessage(message);
      assertThatThrownBy(() -> PeakTopK.selectChannel(v, 0, 0, k, 3, Activation.PROBABILITIES, floor,
          new float[h * w])).isInstanceOf(InvalidInputException.class).hasMessage(message);
    }
  }
}
