package io.github.keydet.core.mask;

import io.github.keydet.api.InvalidInputException;

/**
 * A binary mask of {@code width x height} pixels, row-major: pixel (x, y) is {@code data[y * width + x]}.
 *
 * <p>The array is owned by the mask and must not be modified.
 *
 * @param width columns
 * @param height rows
 * @param data one flag per pixel, row-major
 */
public record BinaryMask(int width, int height, boolean[] data) {
  /** Checks the size. */
  public BinaryMask {
    if (width < 0 || height < 0 || data == null || data.length != (long) width * height) {
      throw new InvalidInputException(
          "mask data must hold width x height = " + width + " x " + height + " flags, got "
              + (data == null ? "null" : data.length));
    }
  }

  /** Whether pixel (x, y) is set. */
  public boolean get(int x, int y) {
    return data[y * width + x];
  }

  /** Number of set pixels. */
  public int area() {
    int n = 0;
    for (boolean b : data) {
      if (b) {
        n++;
      }
    }
    return n;
  }

  /** The mask as bytes (1 = set, 0 = not), row-major, e.g. for writing an image or an RLE encoder. */
  public byte[] toBytes() {
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = data[i] ? (byte) 1 : 0;
    }
    return out;
  }
}
