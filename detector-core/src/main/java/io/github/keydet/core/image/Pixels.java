package io.github.keydet.core.image;

import io.github.keydet.api.InvalidInputException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Reads the pixels of any {@code BufferedImage} as interleaved 8-bit RGB, from the raster directly for the
 * common types. Grey images are read from the raster: {@code BufferedImage.getRGB} would apply a colour-space
 * conversion that brightens them. Alpha is dropped.
 *
 * <p>{@link #rows} reads one row at a time, so images of any size a {@code BufferedImage} can hold are read
 * without a {@code w * h * 3} copy (which does not fit a Java array above 715 million pixels);
 * {@link #rgb} returns the whole image as one array and refuses images whose copy would not fit.
 */
public final class Pixels {
  /** The largest array the JVM allocates reliably. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private Pixels() {}

  /**
   * One image's rows as 8-bit interleaved triples, in RGB or BGR order. A plain {@code TYPE_3BYTE_BGR} image
   * (what ImageIO gives for most PNG and JPEG files) is read in place from its raster array; any other image is
   * converted one row at a time into a row buffer. Not thread-safe: one reader per thread and image.
   */
  public static final class RowReader {
    private final BufferedImage image;
    private final Raster raster;
    private final int w;
    private final Kind kind;
    private final byte[] bytes;
    private final int[] ints;
    private final byte[] rowBuffer;
    private final int[] samples;
    private final int greyShift;

    private enum Kind { BGR_IN_PLACE, ABGR, INT_RGB, GREY, GENERIC }

    private RowReader(BufferedImage image) {
      requirePixels(image);
      this.image = image;
      this.raster = image.getRaster();
      this.w = image.getWidth();
      int type = image.getType();
      SampleModel sm = raster.getSampleModel();
      if (type == BufferedImage.TYPE_3BYTE_BGR && plain(raster, w, 3)) {
        kind = Kind.BGR_IN_PLACE;
      } else if (type == BufferedImage.TYPE_4BYTE_ABGR && plain(raster, w, 4)) {
        kind = Kind.ABGR;
      } else if ((type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB) && plain(raster, w, 1)) {
        kind = Kind.INT_RGB;
      } else if (type == BufferedImage.TYPE_BYTE_GRAY || type == BufferedImage.TYPE_USHORT_GRAY
          || (raster.getNumBands() <= 2 && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY)) {
        // grey, or grey + alpha (a common PNG type): band 0 is the grey value
        kind = Kind.GREY;
      } else {
        kind = Kind.GENERIC;
      }
      bytes = kind == Kind.BGR_IN_PLACE || kind == Kind.ABGR
          ? ((DataBufferByte) raster.getDataBuffer()).getData() : null;
      ints = kind == Kind.INT_RGB ? ((DataBufferInt) raster.getDataBuffer()).getData() : null;
      rowBuffer = kind == Kind.BGR_IN_PLACE ? null : new byte[w * 3];
      samples = kind == Kind.GREY || kind == Kind.GENERIC ? new int[w] : null;
      greyShift = kind == Kind.GREY ? Math.max(0, sm.getSampleSize(0) - 8) : 0;
    }

    /** Whether the three bytes of a pixel are blue, green, red (else red, green, blue). */
    public boolean bgr() {
      return kind == Kind.BGR_IN_PLACE;
    }

    /**
     * Makes row {@code y} readable in {@link #data()} and returns the index of its first byte there; the row
     * is {@code width * 3} bytes. The bytes stay valid until the next call. Never write them: for a plain BGR
     * image they are the image's own raster.
     */
    public int row(int y) {
      switch (kind) {
        case BGR_IN_PLACE -> {
          return y * w * 3;
        }
        case ABGR -> {
          for (int x = 0, s = y * w * 4; x < w; x++, s += 4) {
            rowBuffer[3 * x] = bytes[s + 3];
            rowBuffer[3 * x + 1] = bytes[s + 2];
            rowBuffer[3 * x + 2] = bytes[s + 1];
          }
        }
        case INT_RGB -> {
          for (int x = 0, s = y * w; x < w; x++, s++) {
            int p = ints[s];
            rowBuffer[3 * x] = (byte) (p >> 16);
            rowBuffer[3 * x + 1] = (byte) (p >> 8);
            rowBuffer[3 * x + 2] = (byte) p;
          }
        }
        case GREY -> {
          raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, samples);
          for (int x = 0; x < w; x++) {
            byte v = (byte) (samples[x] >> greyShift);
            rowBuffer[3 * x] = v;
            rowBuffer[3 * x + 1] = v;
            rowBuffer[3 * x + 2] = v;
          }
        }
        default -> {
          image.getRGB(0, y, w, 1, samples, 0, w);
          for (int x = 0; x < w; x++) {
            int p = samples[x];
            rowBuffer[3 * x] = (byte) (p >> 16);
            rowBuffer[3 * x + 1] = (byte) (p >> 8);
            rowBuffer[3 * x + 2] = (byte) p;
          }
        }
      }
      return 0;
    }

    /** The array that holds the row of the last {@link #row} call. */
    public byte[] data() {
      return kind == Kind.BGR_IN_PLACE ? bytes : rowBuffer;
    }
  }

  /** A row reader for an image. */
  public static RowReader rows(BufferedImage image) {
    return new RowReader(image);
  }

  /**
   * Interleaved RGB bytes, {@code h * w * 3}, row-major; a copy. Images whose copy would not fit a Java array
   * (more than about 715 million pixels) raise {@link InvalidInputException}: read those with {@link #rows}.
   */
  public static byte[] rgb(BufferedImage image) {
    requirePixels(image);
    int w = image.getWidth();
    int h = image.getHeight();
    long size = (long) w * h * 3;
    if (size > MAX_ARRAY) {
      throw new InvalidInputException("image " + w + "x" + h + " is too large for one RGB array ("
          + size + " bytes, at most " + MAX_ARRAY + "): read it row by row with Pixels.rows");
    }
    byte[] out = new byte[(int) size];
    RowReader rows = rows(image);
    for (int y = 0; y < h; y++) {
      int from = rows.row(y);
      byte[] src = rows.data();
      int to = y * w * 3;
      if (rows.bgr()) {
        for (int x = 0; x < w; x++) {
          out[to + 3 * x] = src[from + 3 * x + 2];
          out[to + 3 * x + 1] = src[from + 3 * x + 1];
          out[to + 3 * x + 2] = src[from + 3 * x];
        }
      } else {
        System.arraycopy(src, from, out, to, w * 3);
      }
    }
    return out;
  }

  private static void requirePixels(BufferedImage image) {
    if (image == null) {
      throw new InvalidInputException("image is null");
    }
    if (image.getWidth() <= 0 || image.getHeight() <= 0) {
      throw new InvalidInputException("image has no pixels: " + image.getWidth() + "x" + image.getHeight());
    }
  }

  /**
   * Whether the raster is the whole of its data array, row after row with no padding: {@code elements} array
   * elements a pixel (interleaved bytes, or one packed int).
   */
  private static boolean plain(Raster raster, int w, int elements) {
    if (raster.getMinX() != 0 || raster.getMinY() != 0
        || raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0
        || raster.getDataBuffer().getNumBanks() != 1 || raster.getDataBuffer().getOffset() != 0) {
      return false;
    }
    long expected = (long) w * raster.getHeight() * elements;
    SampleModel sm = raster.getSampleModel();
    if (elements == 1) {
      return sm instanceof SinglePixelPackedSampleModel sp && sp.getScanlineStride() == w
          && raster.getDataBuffer().getSize() == expected;
    }
    return sm instanceof ComponentSampleModel cs && cs.getPixelStride() == elements
        && cs.getScanlineStride() == (long) w * elements && raster.getDataBuffer().getSize() == expected;
  }
}
