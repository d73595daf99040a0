package io.github.keydet.core.coco;

import io.github.keydet.api.InvalidInputException;
import java.util.Arrays;

/**
 * A COCO run-length-encoded mask: alternating runs of 0s and 1s over the pixels in column-major order (pycocotools'
 * layout), starting with 0s. Immutable.
 *
 * @param height mask height
 * @param width mask width
 * @param counts run lengths
 */
public record CocoRle(int height, int width, long[] counts) {

  /** Checks the sizes and that the runs cover the mask exactly. */
  public CocoRle {
    counts = counts.clone();
    long sum = 0;
    for (long c : counts) {
      if (c < 0) {
        throw new InvalidInputException("RLE has a negative run: " + c);
      }
      sum += c;
    }
    if (height < 0 || width < 0 || sum != (long) height * width) {
      throw new InvalidInputException(
          "RLE runs sum to " + sum + " but the mask is " + height + " x " + width);
    }
  }

  /**
   * Parses pycocotools' compressed counts string ({@code rleFrString}: 6-bit groups offset by 48, continuation bit
   * 0x20, sign bit 0x10, runs after the second stored as differences to the run two before).
   */
  public static CocoRle fromCompressed(int height, int width, String s) {
    long[] cnts = new long[s.length()];
    int m = 0;
    int p = 0;
    while (p < s.length()) {
      long x = 0;
      int k = 0;
      boolean more = true;
      while (more) {
        if (p >= s.length()) {
          throw new InvalidInputException("truncated compressed RLE string: '" + s + "'");
        }
        int c = s.charAt(p) - 48;
        x |= (long) (c & 0x1f) << (5 * k);
        more = (c & 0x20) != 0;
        p++;
        k++;
        if (!more && (c & 0x10) != 0) {
          x |= -1L << (5 * k);
        }
      }
      if (m > 2) {
        x += cnts[m - 2];
      }
      cnts[m++] = x;
    }
    return new CocoRle(height, width, Arrays.copyOf(cnts, m));
  }

  /** The mask {@code [height, width]} row-major, 1 = object. */
  public byte[] decode() {
    byte[] mask = new byte[height * width];
    long pos = 0;
    byte v = 0;
    for (long c : counts) {
      for (long i = 0; i < c; i++, pos++) {
        if (v != 0) {
          int col = (int) (pos / height);
          int row = (int) (pos % height);
          mask[row * width + col] = 1;
        }
      }
      v = (byte) (1 - v);
    }
    return mask;
  }

  /** A copy of the runs. */
  @Override
  public long[] counts() {
    return counts.clone();
  }
}
