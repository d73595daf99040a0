package io.github.keydet.api;

import java.util.Arrays;

/**
 * An immutable binary instance mask over a whole image of {@code height x width} image pixels, stored compactly:
 * only the tight region around the set pixels, one bit per pixel (row-major inside the region). Pixel (x, y) is
 * in image pixels, x to the right, y down.
 *
 * <p>{@link #rleCounts()} gives COCO's uncompressed run-length encoding (column-major runs over the whole image,
 * starting with a run of zeros), which {@code io.github.keydet.core.coco.Rle.of} takes as it is.
 */
public final class InstanceMask {
  private final int width;
  private final int height;
  private final int x0;
  private final int y0;
  private final int regionWidth;
  private final int regionHeight;
  private final long[] bits;
  private final long area;

  private InstanceMask(int width, int height, int x0, int y0, int rw, int rh, long[] bits, long area) {
    this.width = width;
    this.height = height;
    this.x0 = x0;
    this.y0 = y0;
    this.regionWidth = rw;
    this.regionHeight = rh;
    this.bits = bits;
    this.area = area;
  }

  /** An all-zero mask of an image of {@code width x height} pixels. */
  public static InstanceMask empty(int width, int height) {
    checkSize(width, height);
    return new InstanceMask(width, height, 0, 0, 0, 0, new long[0], 0);
  }

  /**
   * A mask from one flag per image pixel, row-major ({@code data[y * width + x]}), {@code [height * width]}.
   *
   * @throws InvalidInputException when the array does not hold {@code width * height} flags
   */
  public static InstanceMask of(int width, int height, boolean[] data) {
    checkSize(width, height);
    if (data == null || data.length != (long) width * height) {
      throw new InvalidInputException("mask needs width x height = " + width + " x " + height + " flags, got "
          + (data == null ? "null" : data.length));
    }
    return ofRegion(width, height, 0, 0, width, height, data);
  }

  /**
   * A mask whose set pixels all lie in the region {@code [x, x + w) x [y, y + h)} of the image; {@code region}
   * holds that region's flags row-major ({@code region[(py - y) * w + (px - x)]}), {@code [h * w]}.
   *
   * @throws InvalidInputException when the region leaves the image or the array has the wrong length
   */
  public static InstanceMask ofRegion(int width, int height, int x, int y, int w, int h, boolean[] region) {
    checkSize(width, height);
    if (w < 0 || h < 0 || x < 0 || y < 0 || (long) x + w > width || (long) y + h > height) {
      throw new InvalidInputException("mask region x=" + x + " y=" + y + " w=" + w + " h=" + h
          + " is not inside the image " + width + " x " + height);
    }
    if (region == null || region.length != (long) w * h) {
      throw new InvalidInputException("mask region needs " + w + " x " + h + " flags, got "
          + (region == null ? "null" : region.length));
    }
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = -1;
    int maxY = -1;
    for (int r = 0; r < h; r++) {
      int base = r * w;
      int first = 0;
      while (first < w && !region[base + first]) {
        first++;
      }
      if (first == w) {
        continue; // an empty row
      }
      int last = w - 1;
      while (!region[base + last]) {
        last--;
      }
      minX = Math.min(minX, first);
      maxX = Math.max(maxX, last);
      minY = Math.min(minY, r);
      maxY = r;
    }
    if (maxX < 0) {
      return empty(width, height);
    }
    int rw = maxX - minX + 1;
    int rh = maxY - minY + 1;
    long[] bits = new long[(int) (((long) rw * rh + 63) >>> 6)];
    long area = 0;
    for (int r = 0; r < rh; r++) {
      int from = (r + minY) * w + minX;
      for (int c = 0; c < rw; c++) {
        long on = region[from + c] ? 1L : 0L;
        int i = r * rw + c;
        bits[i >>> 6] |= on << (i & 63);
        area += on;
      }
    }
    return new InstanceMask(width, height, x + minX, y + minY, rw, rh, bits, area);
  }

  private static void checkSize(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new InvalidInputException("mask image size must be positive, got " + width + " x " + height);
    }
  }

  /** Image width in pixels. */
  public int width() {
    return width;
  }

  /** Image height in pixels. */
  public int height() {
    return height;
  }

  /** Number of set pixels. */
  public long area() {
    return area;
  }

  /** Whether image pixel (x, y) is set; false outside the image. */
  public boolean get(int x, int y) {
    int c = x - x0;
    int r = y - y0;
    if (c < 0 || r < 0 || c >= regionWidth || r >= regionHeight) {
      return false;
    }
    int i = r * regionWidth + c;
    return (bits[i >>> 6] & (1L << (i & 63))) != 0;
  }

  /**
   * The tight box of the set pixels as (x, y, w, h) in image pixels {@code [4]} ({@code [0, 0, 0, 0]} when
   * empty), like COCO's {@code toBbox}.
   */
  public int[] bounds() {
    return new int[] {x0, y0, regionWidth, regionHeight};
  }

  /** One flag per image pixel, row-major {@code [height * width]}. */
  public boolean[] toBooleans() {
    boolean[] out = new boolean[width * height];
    for (int r = 0; r < regionHeight; r++) {
      for (int c = 0; c < regionWidth; c++) {
        int i = r * regionWidth + c;
        out[(r + y0) * width + c + x0] = (bits[i >>> 6] & (1L << (i & 63))) != 0;
      }
    }
    return out;
  }

  /** COCO's uncompressed RLE counts: column-major runs over the whole image, the first one a run of zeros. */
  public long[] rleCounts() {
    long[] runs = new long[(int) Math.min(Integer.MAX_VALUE - 8, 2 * area + 2)];
    int n = 0;
    boolean cur = false;
    long len = (long) x0 * height; // columns left of the region are all zeros
    for (int x = x0; x < x0 + regionWidth; x++) {
      for (int y = 0; y < height; y++) {
        boolean v = get(x, y);
        if (v != cur) {
          runs[n++] = len;
          cur = v;
          len = 0;
        }
        len++;
      }
    }
    if (cur) { // a mask that ends on the last row of its last column: close the run of ones
      runs[n++] = len;
      len = 0;
    }
    len += (long) (width - x0 - regionWidth) * height;
    runs[n++] = len;
    return Arrays.copyOf(runs, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InstanceMask m && m.width == width && m.height == height && m.x0 == x0 && m.y0 == y0
        && m.regionWidth == regionWidth && m.regionHeight == regionHeight && Arrays.equals(m.bits, bits);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(bits) + 17 * x0 + 13 * y0;
  }

  @Override
  public String toString() {
    return "InstanceMask[" + width + "x" + height + ", area=" + area + ", bounds=" + Arrays.toString(bounds()) + "]";
  }
}
