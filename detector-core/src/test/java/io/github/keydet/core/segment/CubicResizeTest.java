package io.github.keydet.core.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CubicResize against OpenCV 4.6 itself (cv2.resize INTER_CUBIC / INTER_NEAREST of zero-padded crops and float
 * maps, tools/testdata/cubic_resize_reference.py, committed as segment/cubic_cv2.json) and, on many random sizes,
 * against a straightforward implementation written here: copy the zero-padded crop, then per output pixel the 4
 * horizontal fixed-point sums of the 4 source rows and OpenCV's vertical float sum, nothing kept between pixels.
 */
class CubicResizeTest {
  private static JsonNode ref;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = CubicResizeTest.class.getResourceAsStream("/segment/cubic_cv2.json")) {
      ref = new ObjectMapper().readTree(in);
    }
  }

  private static byte[] bytes(JsonNode n) {
    return Base64.getDecoder().decode(n.asText());
  }

  private static float[] floats(JsonNode n) {
    ByteBuffer b = ByteBuffer.wrap(bytes(n)).order(ByteOrder.LITTLE_ENDIAN);
    float[] f = new float[b.remaining() / 4];
    b.asFloatBuffer().get(f);
    return f;
  }

  /** Interleaved {@code [dh][dw][cn]} 0..255 as float planes {@code [cn][dh][dw]}. */
  private static float[] planes(byte[] interleaved, int cn, int dw, int dh) {
    float[] p = new float[cn * dw * dh];
    for (int i = 0; i < dw * dh; i++) {
      for (int c = 0; c < cn; c++) {
        p[c * dw * dh + i] = interleaved[i * cn + c] & 0xff;
      }
    }
    return p;
  }

  @Test
  void cropResizeEqualsOpenCv() {
    assertThat(ref.get("opencv").asText()).startsWith("4.");
    int cases = 0;
    for (JsonNode c : ref.get("bytes")) {
      int w = c.get("width").asInt();
      int h = c.get("height").asInt();
      int cn = c.get("cn").asInt();
      int x1 = c.get("box").get(0).asInt();
      int y1 = c.get("box").get(1).asInt();
      int cw = c.get("box").get(2).asInt() - x1 + 1;
      int ch = c.get("box").get(3).asInt() - y1 + 1;
      int dw = c.get("dw").asInt();
      int dh = c.get("dh").asInt();
      byte[] img = bytes(c.get("image"));
      float[] cubic = new float[cn * dw * dh];
      CubicResize.resizeCropBytes(img, w, h, cn, x1, y1, cw, ch, dw, dh, cubic, 0, -1);
      same(cubic, planes(bytes(c.get("cubic")), cn, dw, dh), "cubic " + c.get("box"));
      float[] nearest = new float[cn * dw * dh];
      CubicResize.resizeCropBytesNearest(img, w, h, cn, x1, y1, cw, ch, dw, dh, nearest, 0, -1);
      same(nearest, planes(bytes(c.get("nearest")), cn, dw, dh), "nearest " + c.get("box"));
      cases++;
    }
    assertThat(cases).isEqualTo(18);
  }

  @Test
  void floatResizeEqualsOpenCvInEveryWindow() {
    int cases = 0;
    for (JsonNode c : ref.get("floats")) {
      int sw = c.get("sw").asInt();
      int sh = c.get("sh").asInt();
      int dw = c.get("dw").asInt();
      int dh = c.get("dh").asInt();
      float[] src = floats(c.get("src"));
      float[] cv = floats(c.get("out"));
      same(CubicResize.resizeFloatWindow(src, 0, 0, sw, sw, sh, dw, dh, 0, 0, dw, dh), cv,
          sw + "x" + sh + " -> " + dw + "x" + dh);
      // a window cut out of the full result, from a source holding only what that window reads
      int wx = dw / 3;
      int wy = dh / 4;
      int ww = Math.max(1, dw - wx - dw / 5);
      int wh = Math.max(1, dh - wy - 1);
      float[] window = windowFromSpan(src, sw, sh, dw, dh, wx, wy, ww, wh);
      for (int y = 0; y < wh; y++) {
        for (int x = 0; x < ww; x++) {
          assertThat(window[y * ww + x]).isEqualTo(cv[(wy + y) * dw + wx + x]);
        }
      }
      cases++;
    }
    assertThat(cases).isEqualTo(8);
  }

  /** The window resized from a copy of only the source span, every other source pixel NaN. */
  private static float[] windowFromSpan(float[] src, int sw, int sh, int dw, int dh, int wx, int wy, int ww,
      int wh) {
    int[] xs = CubicResize.sourceSpan(dw, sw, wx, ww);
    int[] ys = CubicResize.sourceSpan(dh, sh, wy, wh);
    int stride = xs[1] - xs[0] + 1;
    float[] sub = new float[stride * (ys[1] - ys[0] + 1)];
    for (int y = ys[0]; y <= ys[1]; y++) {
      System.arraycopy(src, y * sw + xs[0], sub, (y - ys[0]) * stride, stride);
    }
    return CubicResize.resizeFloatWindow(sub, xs[0], ys[0], stride, sw, sh, dw, dh, wx, wy, ww, wh);
  }

  @Test
  void sourceSpanIsExactlyWhatTheWindowReads() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      int sw = 1 + rnd.nextInt(40);
      int sh = 1 + rnd.nextInt(40);
      int dw = 1 + rnd.nextInt(60);
      int dh = 1 + rnd.nextInt(60);
      int wx = rnd.nextInt(dw);
      int wy = rnd.nextInt(dh);
      int ww = 1 + rnd.nextInt(dw - wx);
      int wh = 1 + rnd.nextInt(dh - wy);
      int[] xs = CubicResize.sourceSpan(dw, sw, wx, ww);
      int[] ys = CubicResize.sourceSpan(dh, sh, wy, wh);
      // a NaN at a source pixel shows in the window exactly when the window reads that pixel
      for (int probe = 0; probe < 4; probe++) {
        int px = probe % 2 == 0 ? xs[0] : xs[1];
        int py = probe < 2 ? ys[0] : ys[1];
        float[] src = new float[sw * sh];
        Arrays.fill(src, 0.5f);
        src[py * sw + px] = Float.NaN;
        float[] out = CubicResize.resizeFloatWindow(src, 0, 0, sw, sw, sh, dw, dh, wx, wy, ww, wh);
        boolean nan = false;
        for (float v : out) {
          nan |= Float.isNaN(v);
        }
        assertThat(nan).as("span corner (%d, %d) of %dx%d -> %dx%d is read", px, py, sw, sh, dw, dh).isTrue();
      }
      float[] src = new float[sw * sh];
      for (int i = 0; i < src.length; i++) {
        int x = i % sw;
        int y = i / sw;
        src[i] = x < xs[0] || x > xs[1] || y < ys[0] || y > ys[1] ? Float.NaN : rnd.nextFloat();
      }
      float[] full = CubicResize.resizeFloatWindow(src, 0, 0, sw, sw, sh, dw, dh, wx, wy, ww, wh);
      for (float v : full) {
        assertThat(Float.isNaN(v)).as("nothing outside the span is read").isFalse();
      }
      same(windowFromSpan(src, sw, sh, dw, dh, wx, wy, ww, wh), full, "window from the span");
    }
  }

  @Test
  void rollingCropResizeEqualsStraightforwardOneOnRandomSizes() {
    Random rnd = new Random(5);
    for (int trial = 0; trial < 400; trial++) {
      int w = 1 + rnd.nextInt(trial < 40 ? 2 : 30);
      int h = 1 + rnd.nextInt(trial < 40 ? 2 : 30);
      int cn = trial % 5 == 0 ? 1 : 3;
      int x1 = rnd.nextInt(w + 8) - 8;
      int y1 = rnd.nextInt(h + 8) - 8;
      int cw = 1 + rnd.nextInt(trial % 7 == 0 ? 1 : 45);
      int ch = 1 + rnd.nextInt(trial % 11 == 0 ? 1 : 45);
      int dw = 1 + rnd.nextInt(trial % 13 == 0 ? 1 : 70);
      int dh = 1 + rnd.nextInt(trial % 17 == 0 ? 1 : 70);
      byte[] img = new byte[w * h * cn];
      rnd.nextBytes(img);
      int plane = dw * dh * cn;
      float[] dst = new float[3 + 2 * plane];
      Arrays.fill(dst, -1f);
      CubicResize.resizeCropBytes(img, w, h, cn, x1, y1, cw, ch, dw, dh, dst, 3, 3 + plane);
      byte[] crop = paddedCrop(img, w, h, cn, x1, y1, cw, ch);
      float[] expected = straightforward(crop, cw, ch, cn, dw, dh);
      String what = w + "x" + h + " crop " + x1 + "," + y1 + " " + cw + "x" + ch + " -> " + dw + "x" + dh;
      same(Arrays.copyOfRange(dst, 3, 3 + plane), expected, what);
      same(Arrays.copyOfRange(dst, 3 + plane, 3 + 2 * plane), mirrored(expected, cn * dh, dw), "mirror of " + what);
      assertThat(dst[0]).isEqualTo(-1f);
      float[] near = new float[plane];
      CubicResize.resizeCropBytesNearest(img, w, h, cn, x1, y1, cw, ch, dw, dh, near, 0, -1);
      same(near, straightforwardNearest(crop, cw, ch, cn, dw, dh), "nearest " + what);
    }
  }

  /** Bit-for-bit equality, reporting the first differing index (AssertJ would print whole arrays). */
  static void same(float[] actual, float[] expected, String what) {
    assertThat(actual.length).as("length of %s", what).isEqualTo(expected.length);
    for (int i = 0; i < actual.length; i++) {
      if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
        assertThat(actual[i]).as("%s at %d", what, i).isEqualTo(expected[i]);
      }
    }
  }

  @Test
  void extremeStripesKeepTheChannelSumsApart() {
    // 0/255 stripes put full weight on the positive taps and none on the negative ones (or the reverse): the
    // largest channel sums the packed 64-bit horizontal pass must keep apart, on each channel in turn
    for (int period = 1; period <= 4; period++) {
      for (int channel = 0; channel < 3; channel++) {
        int w = 23;
        int h = 7;
        byte[] img = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            boolean on = (x / period) % 2 == 0;
            for (int c = 0; c < 3; c++) {
              img[(y * w + x) * 3 + c] = (byte) ((c == channel) == on ? 255 : 0);
            }
          }
        }
        for (int dw : new int[] {9, 17, 30, 46, 61}) {
          float[] dst = new float[3 * dw * 5];
          CubicResize.resizeCropBytes(img, w, h, 3, -2, -1, w + 3, h + 2, dw, 5, dst, 0, -1);
          same(dst, straightforward(paddedCrop(img, w, h, 3, -2, -1, w + 3, h + 2), w + 3, h + 2, 3, dw, 5),
              "stripes of " + period + " on channel " + channel + " -> " + dw);
        }
      }
    }
  }

  private static float[] mirrored(float[] a, int rows, int n) {
    float[] m = new float[a.length];
    for (int r = 0; r < rows; r++) {
      for (int x = 0; x < n; x++) {
        m[r * n + x] = a[r * n + n - 1 - x];
      }
    }
    return m;
  }

  private static byte[] paddedCrop(byte[] img, int w, int h, int cn, int x1, int y1, int cw, int ch) {
    byte[] crop = new byte[cw * ch * cn];
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        int ix = x1 + x;
        int iy = y1 + y;
        if (ix >= 0 && iy >= 0 && ix < w && iy < h) {
          System.arraycopy(img, (iy * w + ix) * cn, crop, (y * cw + x) * cn, cn);
        }
      }
    }
    return crop;
  }

  private static int clamp(int v, int n) {
    return Math.max(0, Math.min(n - 1, v));
  }

  /** Keys' cubic (a = -0.75) coefficients of fraction f, in float as OpenCV computes them. */
  private static float[] coeffs(float f) {
    float a = -0.75f;
    float x1 = f + 1f;
    float c0 = ((a * x1 - 5f * a) * x1 + 8f * a) * x1 - 4f * a;
    float c1 = ((a + 2f) * f - (a + 3f)) * f * f + 1f;
    float g = 1f - f;
    float c2 = ((a + 2f) * g - (a + 3f)) * g * g + 1f;
    return new float[] {c0, c1, c2, 1f - c0 - c1 - c2};
  }

  /** Source position: {@code [floor, fraction]} of {@code (d + 0.5) * src / dst - 0.5} (float, as OpenCV). */
  private static float[] position(int d, int dst, int src) {
    float f = (float) ((d + 0.5) * (1.0 / ((double) dst / src)) - 0.5);
    float s = (float) Math.floor(f);
    return new float[] {s, f - s};
  }

  /** cv2 INTER_CUBIC of an 8-bit image, one output pixel at a time; float planes {@code [cn][dh][dw]}. */
  private static float[] straightforward(byte[] crop, int cw, int ch, int cn, int dw, int dh) {
    float[] out = new float[cn * dw * dh];
    for (int y = 0; y < dh; y++) {
      float[] py = position(y, dh, ch);
      float[] by = coeffs(py[1]);
      for (int x = 0; x < dw; x++) {
        float[] px = position(x, dw, cw);
        float[] bx = coeffs(px[1]);
        for (int c = 0; c < cn; c++) {
          float t = 0;
          float[] sums = new float[4];
          for (int k = 0; k < 4; k++) {
            int sy = clamp((int) py[0] - 1 + k, ch);
            int sum = 0;
            for (int j = 0; j < 4; j++) {
              int sx = clamp((int) px[0] - 1 + j, cw);
              sum += (crop[(sy * cw + sx) * cn + c] & 0xff) * (short) Math.rint(bx[j] * 2048f);
            }
            sums[k] = sum;
          }
          float s = 1f / (2048 * 2048);
          t = sums[3] * ((short) Math.rint(by[3] * 2048f) * s);
          t = sums[2] * ((short) Math.rint(by[2] * 2048f) * s) + t;
          t = sums[1] * ((short) Math.rint(by[1] * 2048f) * s) + t;
          t = sums[0] * ((short) Math.rint(by[0] * 2048f) * s) + t;
          out[(c * dh + y) * dw + x] = (float) Math.max(0, Math.min(255, (int) Math.rint(t)));
        }
      }
    }
    return out;
  }

  private static float[] straightforwardNearest(byte[] crop, int cw, int ch, int cn, int dw, int dh) {
    float[] out = new float[cn * dw * dh];
    for (int y = 0; y < dh; y++) {
      // OpenCV: scale = 1 / (dst / src), not src / dst (they differ in the last bit)
      int sy = Math.min((int) Math.floor(y * (1.0 / ((double) dh / ch))), ch - 1);
      for (int x = 0; x < dw; x++) {
        int sx = Math.min((int) Math.floor(x * (1.0 / ((double) dw / cw))), cw - 1);
        for (int c = 0; c < cn; c++) {
          out[(c * dh + y) * dw + x] = crop[(sy * cw + sx) * cn + c] & 0xff;
        }
      }
    }
    return out;
  }
}
