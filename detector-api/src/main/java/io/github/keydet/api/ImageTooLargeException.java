package io.github.keydet.api;

/**
 * An image whose header claims more pixels (width x height) than the {@link ImageLoader}'s limit: refused before
 * any pixel is decoded. A subtype of {@link InvalidInputException}, so callers that treat all bad input alike
 * need not know it; a service can answer it differently (e.g. HTTP 413 rather than 400).
 */
public class ImageTooLargeException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final long width;
  private final long height;
  private final long maxPixels;

  /**
   * @param message what was refused, naming the size and the limit
   * @param width the width the header claims, in pixels
   * @param height the height the header claims, in pixels
   * @param maxPixels the limit (width x height) that was exceeded
   */
  public ImageTooLargeException(String message, long width, long height, long maxPixels) {
    super(message);
    this.width = width;
    this.height = height;
    this.maxPixels = maxPixels;
  }

  /** The width the image header claims, in pixels. */
  public long width() {
    return width;
  }

  /** The height the image header claims, in pixels. */
  public long height() {
    return height;
  }

  /** The loader's limit on width x height. */
  public long maxPixels() {
    return maxPixels;
  }
}
