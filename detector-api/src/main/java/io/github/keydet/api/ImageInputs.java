package io.github.keydet.api;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Reads images for detection with clear errors: a missing file, empty bytes, a corrupt or unsupported format
 * each raise an {@link InvalidInputException} that says which.
 */
public final class ImageInputs {
  private ImageInputs() {}

  /** Reads an image file. */
  public static BufferedImage read(Path path) {
    if (path == null) {
      throw new InvalidInputException("image path is null");
    }
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException("image file does not exist or is not a file: " + path);
    }
    try {
      return read(Files.readAllBytes(path), path.toString());
    } catch (IOException e) {
      throw new InvalidInputException("cannot read image file " + path + ": " + e.getMessage(), e);
    }
  }

  /** Decodes an encoded image (PNG, JPEG, BMP, GIF: whatever {@code javax.imageio} reads). */
  public static BufferedImage read(byte[] encoded) {
    return read(encoded, "byte array");
  }

  /** Reads and decodes an encoded image from a stream; the stream is read to its end, not closed. */
  public static BufferedImage read(InputStream in) {
    if (in == null) {
      throw new InvalidInputException("image stream is null");
    }
    try {
      return read(in.readAllBytes(), "stream");
    } catch (IOException e) {
      throw new InvalidInputException("cannot read image stream: " + e.getMessage(), e);
    }
  }

  private static BufferedImage read(byte[] encoded, String source) {
    if (encoded == null || encoded.length == 0) {
      throw new InvalidInputException("image " + source + " is empty (0 bytes)");
    }
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(encoded));
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          "image " + source + " is corrupt or truncated: " + e.getMessage(), e);
    }
    if (image == null) {
      throw new InvalidInputException(
          "image " + source + " is not in a supported format (" + encoded.length
              + " bytes; supported: PNG, JPEG, BMP, GIF, WBMP)");
    }
    if (image.getWidth() <= 0 || image.getHeight() <= 0) {
      throw new InvalidInputException("image " + source + " has no pixels");
    }
    return image;
  }
}
