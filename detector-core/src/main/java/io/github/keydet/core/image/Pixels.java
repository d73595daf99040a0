package io.github.keydet.core.image;

import io.github.keydet.api.InvalidInputException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * Reads the pixels of any {@code BufferedImage} as interleaved 8-bit RGB, from the raster directly for the
 * common types. Grey images are read from the raster: {@code BufferedImage.getRGB} would apply a colour-space
 * conversion that brightens them. Alpha is dropped.
 */
public final class Pixels {
  private Pixels() {}

  /**
   * Interleaved 8-bit pixels, {@code h * w * 3}, row-major, in RGB or BGR order.
   *
   * @param data the bytes; for a plain {@code TYPE_3BYTE_BGR} image this is the image's own raster array (not a
   *     copy: read it, never write it)
   * @param bgr whether the three bytes of a pixel are blue, green, red
   */
  public record Interleaved(byte[] data, boolean bgr) {}

  /**
   * The pixels in whichever 3-byte order costs least: a {@code TYPE_3BYTE_BGR} image (what ImageIO gives for
   * most PNG and JPEG files) is returned as is, without a copy; any other image as RGB via {@link #rgb}.
   */
  public static Interleaved interleaved(BufferedImage image) {
    if (image != null && image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      Raster raster = image.getRaster();
      byte[] src = ((DataBufferByte) raster.getDataBuffer()).getData();
      boolean plain = raster.getMinX() == 0 && raster.getMinY() == 0
          && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
          && src.length == image.getWidth() * image.getHeight() * 3
          && raster.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm
          && sm.getPixelStride() == 3 && sm.getScanlineStride() == image.getWidth() * 3;
      if (plain) {
        return new Interleaved(src, true);
      }
    }
    return new Interleaved(rgb(image), false);
  }

  /** Interleaved RGB bytes, {@code h * w * 3}, row-major. */
  public static byte[] rgb(BufferedImage image) {
    if (image == null) {
      throw new InvalidInputException("image is null");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    if (w <= 0 || h <= 0) {
      throw new InvalidInputException("image has no pixels: " + w + "x" + h);
    }
    byte[] out = new byte[w * h * 3];
    Raster raster = image.getRaster();
    boolean plainRaster = raster.getMinX() == 0 && raster.getMinY() == 0
        && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0;
    switch (plainRaster ? image.getType() : -1) {
      case BufferedImage.TYPE_3BYTE_BGR -> {
        byte[] src = ((DataBufferByte) raster.getDataBuffer()).getData();
        for (int i = 0, n = w * h; i < n; i++) {
          out[3 * i] = src[3 * i + 2];
          out[3 * i + 1] = src[3 * i + 1];
          out[3 * i + 2] = src[3 * i];
        }
      }
      case BufferedImage.TYPE_4BYTE_ABGR -> {
        byte[] src = ((DataBufferByte) raster.getDataBuffer()).getData();
        for (int i = 0, n = w * h; i < n; i++) {
          out[3 * i] = src[4 * i + 3];
          out[3 * i + 1] = src[4 * i + 2];
          out[3 * i + 2] = src[4 * i + 1];
        }
      }
      case BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB -> {
        int[] src = ((DataBufferInt) raster.getDataBuffer()).getData();
        for (int i = 0, n = w * h; i < n; i++) {
          int p = src[i];
          out[3 * i] = (byte) (p >> 16);
          out[3 * i + 1] = (byte) (p >> 8);
          out[3 * i + 2] = (byte) p;
        }
      }
      case BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY -> grey(raster, w, h, out);
      default -> {
        // grey, or grey + alpha (a common PNG type): band 0 is the grey value
        if (raster.getNumBands() <= 2 && image.getColorModel().getColorSpace().getType()
            == java.awt.color.ColorSpace.TYPE_GRAY) {
          grey(raster, w, h, out);
        } else {
          int[] row = new int[w];
          for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
              int p = row[x];
              int i = 3 * (y * w + x);
              out[i] = (byte) (p >> 16);
              out[i + 1] = (byte) (p >> 8);
              out[i + 2] = (byte) p;
            }
          }
        }
      }
    }
    return out;
  }

  private static void grey(Raster raster, int w, int h, byte[] out) {
    int bits = raster.getSampleModel().getSampleSize(0);
    int shift = Math.max(0, bits - 8);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        byte v = (byte) (row[x] >> shift);
        int i = 3 * (y * w + x);
        out[i] = v;
        out[i + 1] = v;
        out[i + 2] = v;
      }
    }
  }
}
