package io.github.keydet.api;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image files for detection and refuses, with an {@link InvalidInputException} that says which, every
 * input that would otherwise give a wrong answer or take the process down:
 *
 * <ul>
 *   <li>a missing file, empty bytes, a format no {@code javax.imageio} reader knows;
 *   <li>a header that claims more than {@link #maxPixels()} pixels (checked before any pixel is decoded, so a
 *       200-byte file claiming 20000x20000 costs nothing): an {@link ImageTooLargeException};
 *   <li>a file the reader only warns about: a truncated JPEG decodes with grey or garbage rows and a warning,
 *       and any reader warning is treated as damage ({@code "truncated JPEG ..."} for JPEG, {@code "... is corrupt
 *       or truncated: the decoder warned ..."} for other formats);
 *   <li>a file the reader fails on (a truncated PNG, GIF or BMP: {@code "... is corrupt or truncated ..."});
 *   <li>too little memory to hold the decoded pixels ({@code "not enough memory to decode ..."});
 *   <li>a CMYK image (a CMYK or YCCK JPEG): the JDK decodes it without its colour profile, colours off by tens of
 *       levels, so it is refused; an ImageIO plugin that converts CMYK to RGB (TwelveMonkeys' imageio-jpeg) on
 *       the class path makes such files decode as RGB and pass.
 * </ul>
 *
 * <p>Immutable and thread-safe; {@link #defaults()} is what {@link ImageInputs} and the {@link Detector}
 * convenience methods use. Build another with {@link #builder()}.
 */
public final class ImageLoader {
  /** The default pixel limit: 100 megapixels (about 300 MB as 8-bit RGB). */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  private static final ImageLoader DEFAULTS = new ImageLoader(DEFAULT_MAX_PIXELS);

  private final long maxPixels;

  private ImageLoader(long maxPixels) {
    this.maxPixels = maxPixels;
  }

  /** The loader with the default settings (a limit of {@value #DEFAULT_MAX_PIXELS} pixels). */
  public static ImageLoader defaults() {
    return DEFAULTS;
  }

  /** A builder for a loader with other settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** The largest width x height this loader decodes. */
  public long maxPixels() {
    return maxPixels;
  }

  /** Reads an image file. */
  public BufferedImage read(Path path) {
    if (path == null) {
      throw new InvalidInputException("image path is null");
    }
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException("image file does not exist or is not a file: " + path);
    }
    long size;
    try {
      size = Files.size(path);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read image file " + path + ": " + e.getMessage(), e);
    }
    if (size == 0) {
      throw new InvalidInputException("image " + path + " is empty (0 bytes)");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
      if (in == null) {
        throw new InvalidInputException("cannot read image file " + path);
      }
      return decode(in, path.toString(), size);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read image file " + path + ": " + e.getMessage(), e);
    }
  }

  /** Decodes an encoded image (PNG, JPEG, BMP, GIF: whatever {@code javax.imageio} reads). */
  public BufferedImage read(byte[] encoded) {
    return read(encoded, "byte array");
  }

  /** Reads and decodes an encoded image from a stream; the stream is read to its end, not closed. */
  public BufferedImage read(InputStream in) {
    if (in == null) {
      throw new InvalidInputException("image stream is null");
    }
    try {
      return read(in.readAllBytes(), "stream");
    } catch (IOException e) {
      throw new InvalidInputException("cannot read image stream: " + e.getMessage(), e);
    }
  }

  /**
   * Decodes an encoded image; {@code source} names it in error messages ({@code "image <source> is not in a
   * supported format ..."}), e.g. {@code "request body"} or a file name.
   */
  public BufferedImage read(byte[] encoded, String source) {
    if (encoded == null || encoded.length == 0) {
      throw new InvalidInputException("image " + source + " is empty (0 bytes)");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
      return decode(in, source, encoded.length);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read image " + source + ": " + e.getMessage(), e);
    }
  }

  private BufferedImage decode(ImageInputStream in, String source, long bytes) {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new InvalidInputException("image " + source + " is not in a supported format (" + bytes
          + " bytes; supported: " + String.join(", ", supportedFormats()) + ")");
    }
    ImageReader reader = readers.next();
    String format = formatName(reader);
    List<String> warnings = new ArrayList<>();
    long width = -1;
    long height = -1;
    try {
      reader.setInput(in, true, true);
      reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
      width = reader.getWidth(0);
      height = reader.getHeight(0);
      if (width <= 0 || height <= 0) {
        throw new InvalidInputException("image " + source + " has no pixels: " + width + "x" + height);
      }
      if (width * height > maxPixels) {
        throw new ImageTooLargeException(String.format(Locale.ROOT,
            "image %s is %dx%d = %d pixels (%.1f megapixels), above the limit of %d pixels (%.1f megapixels)"
                + " (raise it with --max-pixels / ImageLoader.builder().optMaxPixels)",
            source, width, height, width * height, width * height / 1e6, maxPixels, maxPixels / 1e6),
            width, height, maxPixels);
      }
      BufferedImage image = reader.read(0);
      if (!warnings.isEmpty()) {
        throw damaged(source, format, warnings);
      }
      if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
        throw new InvalidInputException("image " + source + " is a CMYK " + format
            + ": not supported (decoded without its colour profile the colours would be wrong); convert it to"
            + " RGB first, or put an ImageIO plugin that converts CMYK (TwelveMonkeys imageio-jpeg) on the"
            + " class path");
      }
      return image;
    } catch (OutOfMemoryError e) {
      throw outOfMemory(source, format, width, height, e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidInputException iie) {
        throw iie;
      }
      OutOfMemoryError oom = find(e, OutOfMemoryError.class);
      if (oom != null) {
        throw outOfMemory(source, format, width, height, oom);
      }
      if (!warnings.isEmpty()) {
        throw damaged(source, format, warnings);
      }
      throw new InvalidInputException(
          "image " + source + " (" + format + ") is corrupt or truncated: " + describe(e), e);
    } finally {
      reader.dispose();
    }
  }

  private static InvalidInputException damaged(String source, String format, List<String> warnings) {
    String joined = String.join("; ", warnings);
    String lower = joined.toLowerCase(Locale.ROOT);
    boolean truncated = lower.contains("truncat") || lower.contains("premature") || lower.contains("eoi");
    if ("JPEG".equals(format) && truncated) {
      return new InvalidInputException("truncated JPEG " + source + ": " + joined);
    }
    return new InvalidInputException(
        "image " + source + " (" + format + ") is corrupt or truncated: the decoder warned " + joined);
  }

  private static InvalidInputException outOfMemory(
      String source, String format, long width, long height, OutOfMemoryError e) {
    long heapMb = Runtime.getRuntime().maxMemory() >> 20;
    String size = width > 0 && height > 0
        ? String.format(Locale.ROOT, "%dx%d, at least %d MB decoded", width, height, width * height * 3 >> 20)
        : "size unknown";
    return new InvalidInputException("not enough memory to decode image " + source + " (" + format + ", " + size
        + "; Java heap limit " + heapMb + " MB): give the JVM more memory (-Xmx) or lower the pixel limit ("
        + e.getMessage() + ")", e);
  }

  /** The exception's message and its cause's, or its type when it has none ({@code EOFException}). */
  private static String describe(Throwable e) {
    String text = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    Throwable cause = e.getCause();
    if (cause != null && cause != e) {
      text += " (" + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()) + ")";
    }
    return text;
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String formatName(ImageReader reader) {
    try {
      return reader.getFormatName().toUpperCase(Locale.ROOT);
    } catch (IOException e) {
      return reader.getOriginatingProvider() == null
          ? "image" : reader.getOriginatingProvider().getFormatNames()[0].toUpperCase(Locale.ROOT);
    }
  }

  private static List<String> supportedFormats() {
    List<String> out = new ArrayList<>();
    for (String s : ImageIO.getReaderFormatNames()) {
      String u = s.toUpperCase(Locale.ROOT);
      if (!out.contains(u) && !u.equals("JPG")) {
        out.add(u);
      }
    }
    out.sort(null);
    return out;
  }

  /** Builds an {@link ImageLoader}. Not thread-safe; the loader it builds is. */
  public static final class Builder {
    private long maxPixels = DEFAULT_MAX_PIXELS;

    private Builder() {}

    /**
     * Optional: the largest width x height to decode (default {@value ImageLoader#DEFAULT_MAX_PIXELS}); larger
     * images are
     * refused from their header before any pixel is decoded.
     */
    public Builder optMaxPixels(long maxPixels) {
      this.maxPixels = maxPixels;
      return this;
    }

    /** The loader; fails with {@link InvalidConfigException} when a setting is out of range. */
    public ImageLoader build() {
      if (maxPixels <= 0) {
        throw new InvalidConfigException("maxPixels must be > 0, got " + maxPixels);
      }
      return new ImageLoader(maxPixels);
    }
  }
}
