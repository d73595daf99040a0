package io.github.keydet.core.saccade;

import io.github.keydet.core.image.Pixels;
import io.github.keydet.core.spec.ChannelOrder;
import io.github.keydet.core.spec.ModelSpec;
import java.awt.image.BufferedImage;

/**
 * The network inputs of CornerNet-Saccade's test code ({@code crop_image_gpu}): a window of the image around a
 * centre, resized bilinearly (PyTorch's {@code interpolate(mode='bilinear')}: half-pixel centres, source clamped
 * at 0, computed in double as on the test code's float64 image) into the middle of a canvas of zeros, then
 * normalised with the spec's mean and std in float. Stateless.
 */
public final class SaccadeCanvas {
  private SaccadeCanvas() {}

  /**
   * An image's channels in the model's channel order, each value {@code pixel * valueScale} (the test code's
   * {@code image / 255}).
   *
   * @param planes [3][height · width], row-major
   */
  public record Planes(double[][] planes, int height, int width) {
    public static Planes of(BufferedImage image, ModelSpec spec) {
      byte[] rgb = Pixels.rgb(image);
      int h = image.getHeight();
      int w = image.getWidth();
      // the test code divides by 255: a value scale that is the float of 1 / d for a whole d divides by d
      double divisor = Math.rint(1.0 / spec.valueScale());
      boolean divide = divisor > 0 && (float) (1.0 / divisor) == spec.valueScale();
      double scale = spec.valueScale();
      boolean bgr = spec.channelOrder() == ChannelOrder.BGR;
      double[][] p = new double[3][h * w];
      for (int i = 0; i < h * w; i++) {
        for (int c = 0; c < 3; c++) {
          int src = bgr ? 2 - c : c;
          int v = rgb[3 * i + src] & 0xff;
          p[c][i] = divide ? v / divisor : v * scale;
        }
      }
      return new Planes(p, h, w);
    }
  }

  /**
   * Fills one canvas: the window of {@code height x width} image pixels centred at ({@code cty}, {@code ctx}),
   * clipped to the image, resized by {@code size / max(height, width)} into a {@code size x size} canvas of zeros
   * around its centre; the canvas is then normalised.
   *
   * @param out [3, size, size] canvas values in the model's channel order, row-major, all zero on entry
   * @return the image position of the canvas' window origin, {@code {cty - height / 2, ctx - width / 2}}
   */
  public static int[] fill(Planes im, int cty, int ctx, int height, int width, float[] out, int size, float[] mean,
      float[] std) {
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
      for (int c = 0; c < 3; c++) {
        double[] p = im.planes()[c];
        int base = c * size * size;
        for (int oy = 0; oy < outH; oy++) {
          int r0 = (y0 + ys.i0[oy]) * im.width() + x0;
          int r1 = (y0 + ys.i1[oy]) * im.width() + x0;
          double wy1 = ys.l1[oy];
          double wy0 = 1 - wy1;
          int row = base + (oy0 + oy) * size + ox0;
          for (int ox = 0; ox < outW; ox++) {
            double wx1 = xs.l1[ox];
            double wx0 = 1 - wx1;
            double top = wx0 * p[r0 + xs.i0[ox]] + wx1 * p[r0 + xs.i1[ox]];
            double bottom = wx0 * p[r1 + xs.i0[ox]] + wx1 * p[r1 + xs.i1[ox]];
            out[row + ox] = (float) (wy0 * top + wy1 * bottom);
          }
        }
      }
    }
    for (int c = 0; c < 3; c++) {
      int base = c * size * size;
      for (int i = 0; i < size * size; i++) {
        out[base + i] = (out[base + i] - mean[c]) / std[c];
      }
    }
    return new int[] {cty - height / 2, ctx - width / 2};
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
