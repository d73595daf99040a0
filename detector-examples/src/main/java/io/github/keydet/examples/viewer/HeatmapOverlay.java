package io.github.keydet.examples.viewer;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.image.ImageTransform;
import io.github.keydet.examples.Annotator;
import io.github.keydet.onnx.RawTensor;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * A heat-map head blended over its image, as CenterNet's {@code --debug 2} shows it: each cell's colour is the
 * maximum over classes of heat x the class colour ({@link Annotator#colorOf}), and the image pixel becomes
 * {@code (1 - alpha) * image + alpha * colour}. Unlike CenterNet's debugger, which shows it over the network input,
 * the overlay is in image pixels: image pixel (x, y) reads the heat at output cell
 * ({@code toInputX(x) / stride}, {@code toInputY(y) / stride}), bilinearly between cells and clamped at the map's
 * edges, so it lines up with the detections drawn on the image.
 */
public final class HeatmapOverlay {
  /** CenterNet's debugger blends with 0.7. */
  public static final float DEFAULT_ALPHA = 0.7f;

  private HeatmapOverlay() {}

  /**
   * The overlay.
   *
   * @param image the image, image pixels
   * @param heat the head, {@code [1, C, H, W]} (NCHW) or {@code [1, H, W, C]} (NHWC), over output cells
   * @param layout the head's layout
   * @param activation whether the values are logits (a sigmoid is applied) or probabilities
   * @param transform the preprocessing transform of the image (image pixels to input pixels)
   * @param stride input pixels per output cell
   * @param alpha weight of the colour map, in [0, 1]
   * @return a new RGB image of the image's size
   */
  public static BufferedImage blend(BufferedImage image, RawTensor heat, Layout layout, Activation activation,
      ImageTransform transform, int stride, float alpha) {
    long[] s = heat.shape();
    if (s.length != 4 || s[0] != 1) {
      throw new InvalidInputException("heat map must be [1, C, H, W] or [1, H, W, C], got " + Arrays.toString(s));
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new InvalidInputException("alpha must be in [0, 1], got " + alpha);
    }
    boolean nchw = layout == Layout.NCHW;
    int c = (int) (nchw ? s[1] : s[3]);
    int h = (int) (nchw ? s[2] : s[1]);
    int w = (int) (nchw ? s[3] : s[2]);
    float[] colours = colourMap(heat.data(), nchw, c, h, w, activation);
    int iw = image.getWidth();
    int ih = image.getHeight();
    BufferedImage out = new BufferedImage(iw, ih, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[iw];
    for (int y = 0; y < ih; y++) {
      double cy = clamp(transform.toInputY(y) / stride, h - 1);
      int y0 = (int) Math.floor(cy);
      int y1 = Math.min(h - 1, y0 + 1);
      double fy = cy - y0;
      image.getRGB(0, y, iw, 1, row, 0, iw);
      for (int x = 0; x < iw; x++) {
        double cx = clamp(transform.toInputX(x) / stride, w - 1);
        int x0 = (int) Math.floor(cx);
        int x1 = Math.min(w - 1, x0 + 1);
        double fx = cx - x0;
        int rgb = row[x];
        int px = 0;
        for (int k = 0; k < 3; k++) {
          double top = colours[(y0 * w + x0) * 3 + k] * (1 - fx) + colours[(y0 * w + x1) * 3 + k] * fx;
          double bottom = colours[(y1 * w + x0) * 3 + k] * (1 - fx) + colours[(y1 * w + x1) * 3 + k] * fx;
          double fore = top * (1 - fy) + bottom * fy;
          int back = (rgb >> (16 - 8 * k)) & 0xff;
          int v = (int) Math.round(Math.max(0, Math.min(255, back * (1 - alpha) + fore * alpha)));
          px |= v << (16 - 8 * k);
        }
        row[x] = px;
      }
      out.setRGB(0, y, iw, 1, row, 0, iw);
    }
    return out;
  }

  /** Per cell (row-major H x W) the RGB colour: max over classes of activated heat x class colour. */
  static float[] colourMap(float[] data, boolean nchw, int c, int h, int w, Activation activation) {
    float[][] palette = new float[c][];
    for (int k = 0; k < c; k++) {
      Color col = Annotator.colorOf(k);
      palette[k] = new float[] {col.getRed(), col.getGreen(), col.getBlue()};
    }
    float[] out = new float[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int cell = y * w + x;
        for (int k = 0; k < c; k++) {
          float v = activation.apply(nchw ? data[(k * h + y) * w + x] : data[cell * c + k]);
          if (!(v > 0)) {
            continue;
          }
          for (int j = 0; j < 3; j++) {
            out[cell * 3 + j] = Math.max(out[cell * 3 + j], Math.min(1f, v) * palette[k][j]);
          }
        }
      }
    }
    return out;
  }

  private static double clamp(double v, int max) {
    return Double.isNaN(v) ? 0 : Math.max(0, Math.min(max, v));
  }
}
