package io.github.keydet.api;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads images for detection with {@link ImageLoader#defaults()}: a missing file, empty bytes, a corrupt,
 * truncated, oversized (above {@value ImageLoader#DEFAULT_MAX_PIXELS} pixels), CMYK or unsupported image each
 * raise an {@link InvalidInputException} that says which. Use an {@link ImageLoader} of your own for other limits.
 */
public final class ImageInputs {
  private ImageInputs() {}

  /** Reads an image file. */
  public static BufferedImage read(Path path) {
    return ImageLoader.defaults().read(path);
  }

  /** Decodes an encoded image (PNG, JPEG, BMP, GIF: whatever {@code javax.imageio} reads). */
  public static BufferedImage read(byte[] encoded) {
    return ImageLoader.defaults().read(encoded);
  }

  /** Reads and decodes an encoded image from a stream; the stream is read to its end, not closed. */
  public static BufferedImage read(InputStream in) {
    return ImageLoader.defaults().read(in);
  }
}
