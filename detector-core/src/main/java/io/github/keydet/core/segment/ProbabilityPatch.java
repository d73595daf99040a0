package io.github.keydet.core.segment;

/**
 * Mask probabilities pasted back into the image: the window {@code [x, x + width) x [y, y + height)} of an image
 * of {@code imageWidth x imageHeight} pixels; every pixel outside it has probability 0 (DEXTR's
 * {@code crop2fullmask} with {@code mask_relax}: only the extreme points' own box is kept).
 *
 * @param imageWidth width of the image in pixels
 * @param imageHeight height of the image in pixels
 * @param x left column of the window in image pixels
 * @param y top row of the window
 * @param width window columns
 * @param height window rows
 * @param values probabilities {@code [height * width]}, row-major; owned by the record, do not modify
 */
public record ProbabilityPatch(int imageWidth, int imageHeight, int x, int y, int width, int height, float[] values) {
  /** The probability at image pixel (px, py); 0 outside the window. */
  public float at(int px, int py) {
    int c = px - x;
    int r = py - y;
    return c < 0 || r < 0 || c >= width || r >= height ? 0f : values[r * width + c];
  }
}
