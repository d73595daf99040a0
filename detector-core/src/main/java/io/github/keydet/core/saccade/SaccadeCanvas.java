package io.github.keydet.core.saccade;

import io.github.keydet.core.image.Pixels;
import io.github.keydet.core.spec.ChannelOrder;
import io.github.keydet.core.spec.ModelSpec;
import java.awt.image.BufferedImage;

/**
 * The network inputs of CornerNet-Saccade's test code ({@code crop_image_gpu}): a window of the image around a
 * centre, resized bilinearly (PyTorch's {@code interpolate(mode='bilinear')}: half-pixel centres, source clamped
 * at 0, computed in double as on the test code's float64 image) into the middle of a canvas of zeros, then
 * normalised with the spec's mean and std in float. Read straight from the image's 8-bit samples (no float copy of
 * the image). Stateless.
 */
public final class SaccadeCanvas {
  private SaccadeCanvas() {}

  /**
   * An image as its interleaved 8-bit samples (the raster itself for a plain BGR image, else an RGB copy), with the value of each sample level ({@code level * valueScale},
   * or {@code level / d} when the value scale is the float of {@code 1 / d} for a whole {@code d}: the test code's
   * {@code image / 255}) and the sample offset of each model channel.
   *
   * @param rgb interleaved samples, row-major, 3 bytes a pixel (never written)
   * @param values the value of each level 0..255
   * @param channel offset within a pixel's 3 bytes of model channel 0, 1, 2
   */
  public record Planes(byte[] rgb, int height, int width, double[] values, int[] channel) {
    public static Planes of(BufferedImage image, ModelSpec spec) {
      double divisor = Math.rint(1.0 / spec.valueScale());
      boolean divide = divisor > 0 && (float) (1.0 / divisor) == spec.valueScale();
      double[] values = new double[256];
      for (int v = 0; v < 256; v++) {
        values[v] = divide ? v / divisor : v * (double) spec.valueScale();
      }
      boolean modelBgr = spec.channelOrder() == ChannelOrder.BGR;
      Pixels.RowReader rows = Pixels.rows(image);
      if (rows.bgr()) { // a plain BGR raster: read in place, rows back to back
        rows.row(0);
        int[] channel = modelBgr ? new int[] {0, 1, 2} : new int[] {2, 1, 0};
        return new Planes(rows.data(), image.getHeight(), image.getWidth(), values, channel);
      }
      int[] channel = modelBgr ? new int[] {2, 1, 0} : new int[] {0, 1, 2};
      return new Planes(Pixels.rgb(image), image.getHeight(), image.getWidth(), values, channel);
    }
  }

  /**
   * Fills one canvas: the window of {@code height x width} image pixels centred at ({@code cty}, {@code ctx}),
   * clipped to the image, resized by {@code size / max(height, width)} into a {@code size x size} canvas of zeros
   * around its centre, every value then normalised ({@code (v - mean) / std} in float, so the zeros become
   * {@code -mean / std}).
   *
   * @param out [3, size, size] canvas values in the model's channel order, row-major (overwritten)
   * @return the image position of the canvas' window origin, {@code {cty - height / 2, ctx - width / 2}}
   */
  public static int[] fill(Planes im, int cty, int ctx, int height, int width, float[] out, int size, float[] mean,
      float[] std) {
    int plane = size * size;
    for (int c = 0; c < 3; c++) {
      java.util.Arrays.fill(out, c * plane, (c + 1) * plane, (0f - mean[c]) / std[c]);
    }
    double scale = (double) size / Math.max(height, width);
    int x0 = Math.max(0, ctx - width / 2);
    int x1 = Math.min(ctx + width / 2, im.width());
    int y0 = Math.max(0, cty - height / 2);
    int y1 = Math.min(cty + height / 2, im.height());
    int oy0 = size / 2 - (int) ((cty - y0) * scale);
    int oy1 = size / 2 + (int) ((y1 - cty) * scale);
    int ox0 = size / 2 - (int) ((ctx - x0) * scale);
    int ox1 = size / 2 + (int) ((x1 - ctx) * scale);
    int outH = oy1 - oy0;
    int outW = ox1 - ox0;
    int inH = y1 - y0;
    int inW = x1 - x0;
    if (outH > 0 && outW > 0 && inH > 0 && inW > 0) {
      Axis ys = Axis.of(inH, outH);
      Axis xs = Axis.of(inW, outW);
      byte[] rgb = im.rgb();
      double[] val = im.values();
      int c0 = im.channel()[0];
      int c1 = im.channel()[1];
      int c2 = im.channel()[2];
      float m0 = mean[0];
      float m1 = mean[1];
      float m2 = mean[2];
      float s0 = std[0];
      float s1 = std[1];
      float s2 = std[2];
      int[] a0 = new int[outW];
      int[] a1 = new int[outW];
      for (int ox = 0; ox < outW; ox++) {
        a0[ox] = 3 * (x0 + xs.i0[ox]);
        a1[ox] = 3 * (x0 + xs.i1[ox]);
      }
      for (int oy = 0; oy < outH; oy++) {
        int r0 = 3 * (y0 + ys.i0[oy]) * im.width();
        int r1 = 3 * (y0 + ys.i1[oy]) * im.width();
        double wy1 = ys.l1[oy];
        double wy0 = 1 - wy1;
        int row = (oy0 + oy) * size + ox0;
        for (int ox = 0; ox < outW; ox++) {
          double wx1 = xs.l1[ox];
          double wx0 = 1 - wx1;
          int p00 = r0 + a0[ox];
          int p01 = r0 + a1[ox];
          int p10 = r1 + a0[ox];
          int p11 = r1 + a1[ox];
          out[row + ox] = ((float) lerp(val, rgb, p00 + c0, p01 + c0, p10 + c0, p11 + c0, wx0, wx1, wy0, wy1) - m0) / s0;
          out[plane + row + ox] =
              ((float) lerp(val, rgb, p00 + c1, p01 + c1, p10 + c1, p11 + c1, wx0, wx1, wy0, wy1) - m1) / s1;
          out[2 * plane + row + ox] =
              ((float) lerp(val, rgb, p00 + c2, p01 + c2, p10 + c2, p11 + c2, wx0, wx1, wy0, wy1) - m2) / s2;
        }
      }
    }
    return new int[] {cty - height / 2, ctx - width / 2};
  }

  /** Bilinear value of four samples: rows first interpolated along x, then the two rows along y. */
  private static double lerp(double[] val, byte[] rgb, int p00, int p01, int p10, int p11, double wx0, double wx1,
      double wy0, double wy1) {
    double top = wx0 * val[rgb[p00] & 0xff] + wx1 * val[rgb[p01] & 0xff];
    double bottom = wx0 * val[rgb[p10] & 0xff] + wx1 * val[rgb[p11] & 0xff];
    return wy0 * top + wy1 * bottom;
  }

  /** Source indices and the weight of the second one along one axis of a bilinear resize. */
  private record Axis(int[] i0, int[] i1, double[] l1) {
    public static Axis of(int in, int out) {
      double s = (double) in / out;
      int[] i0 = new int[out];
      int[] i1 = new int[out];
      double[] l1 = new double[out];
      for (int o = 0; o < out; o++) {
        double src = Math.max(s * (o + 0.5) - 0.5, 0.0);
        int a = Math.min((int) src, in - 1);
        i0[o] = a;
        i1[o] = a < in - 1 ? a + 1 : a;
        l1[o] = src - a;
      }
      return new Axis(i0, i1, l1);
    }
  }
}
