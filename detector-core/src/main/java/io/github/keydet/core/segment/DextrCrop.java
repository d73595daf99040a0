package io.github.keydet.core.segment;

/**
 * Where one object's network input came from: the hand-off from {@link DextrPreprocessor} to
 * {@link DextrPostprocessor}.
 *
 * @param imageWidth width of the image in pixels
 * @param imageHeight height of the image in pixels
 * @param x1 left column of the relaxed box in image pixels (may be negative: zero padding)
 * @param y1 top row of the relaxed box
 * @param x2 right column, inclusive (may be past the image)
 * @param y2 bottom row, inclusive
 * @param relax the relax the box was grown by; {@code (x1 + relax .. x2 - relax)} is the points' own box
 * @param points the points in network-input pixels {@code [x0, y0, ..., x3, y3]} (integers, as upstream)
 */
public record DextrCrop(int imageWidth, int imageHeight, int x1, int y1, int x2, int y2, int relax, int[] points) {
  /** Defensive copy. */
  public DextrCrop {
    points = points.clone();
  }

  /** Width of the relaxed box (the crop) in image pixels. */
  public int cropWidth() {
    return x2 - x1 + 1;
  }

  /** Height of the relaxed box (the crop) in image pixels. */
  public int cropHeight() {
    return y2 - y1 + 1;
  }

  /** The points in network-input pixels, a copy. */
  @Override
  public int[] points() {
    return points.clone();
  }
}
