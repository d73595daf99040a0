package io.github.keydet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each kind of bad image gives: truncated JPEGs, oversized headers, CMYK, out of memory. */
class ImageLoaderTest {
  @TempDir Path tmp;

  /** A 320x240 picture with shapes and a gradient, so that a JPEG of it has some entropy. */
  static BufferedImage picture() {
    BufferedImage im = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = im.createGraphics();
    for (int y = 0; y < 240; y++) {
      g.setColor(new Color(y, 255 - y, (y * 7) & 0xFF));
      g.drawLine(0, y, 319, y);
    }
    g.setColor(Color.WHITE);
    g.fillOval(60, 40, 120, 160);
    g.setColor(Color.BLACK);
    g.fillRect(200, 30, 80, 90);
    g.dispose();
    return im;
  }

  static byte[] encode(BufferedImage im, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(im, format, out)).isTrue();
    return out.toByteArray();
  }

  /** A PNG whose header says {@code w x h} (8-bit RGB) followed by a few bytes of pixel data. */
  static byte[] pngHeader(int w, int h) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(ihdr);
    d.writeInt(w);
    d.writeInt(h);
    d.write(new byte[] {8, 2, 0, 0, 0});
    chunk(out, "IHDR", ihdr.toByteArray());
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[64]);
    deflater.finish();
    byte[] idat = new byte[128];
    int n = deflater.deflate(idat);
    chunk(out, "IDAT", Arrays.copyOf(idat, n));
    chunk(out, "IEND", new byte[0]);
    return bytes.toByteArray();
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    out.writeInt(data.length);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }

  @Test
  void goodImagesDecode() throws IOException {
    for (String format : List.of("jpg", "png", "bmp", "gif")) {
      byte[] b = encode(picture(), format);
      BufferedImage im = ImageInputs.read(b);
      assertThat(im.getWidth()).as(format).isEqualTo(320);
      assertThat(im.getHeight()).as(format).isEqualTo(240);
      Path f = Files.write(tmp.resolve("good." + format), b);
      assertThat(ImageInputs.read(f).getWidth()).as(format).isEqualTo(320);
    }
  }

  @Test
  void truncatedJpegsAreRefused() throws IOException {
    byte[] jpeg = encode(picture(), "jpg");
    // the first 1000 bytes, half the file, and all but the end-of-image marker
    for (int length : new int[] {1000, jpeg.length / 2, jpeg.length - 2}) {
      byte[] cut = Arrays.copyOf(jpeg, length);
      assertThatThrownBy(() -> ImageInputs.read(cut)).as("%d of %d bytes", length, jpeg.length)
          .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("truncated JPEG byte array");
      Path f = Files.write(tmp.resolve("cut" + length + ".jpg"), cut);
      assertThatThrownBy(() -> ImageInputs.read(f))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("truncated JPEG " + f);
    }
  }

  @Test
  void truncatedPngGifBmpAreRefused() throws IOException {
    for (String format : List.of("png", "gif", "bmp")) {
      byte[] b = encode(picture(), format);
      byte[] cut = Arrays.copyOf(b, b.length / 2);
      assertThatThrownBy(() -> ImageInputs.read(cut)).as(format)
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("is corrupt or truncated");
    }
  }

  @Test
  void imagesAboveThePixelLimitAreRefusedFromTheirHeader() throws IOException {
    byte[] huge = pngHeader(20000, 20000);
    assertThat(huge.length).isLessThan(100);
    long before = usedHeap();
    assertThatThrownBy(() -> ImageInputs.read(huge)).isInstanceOf(ImageTooLargeException.class)
        .hasMessageContaining("20000x20000 = 400000000 pixels (400.0 megapixels), above the limit of 100000000 pixels (100.0 megapixels)")
        .satisfies(e -> {
          ImageTooLargeException t = (ImageTooLargeException) e;
          assertThat(new long[] {t.width(), t.height(), t.maxPixels()}).containsExactly(20000, 20000, 100_000_000L);
        });
    assertThatThrownBy(() -> ImageLoader.defaults().read(huge, "upload 'big.png'"))
        .hasMessageStartingWith("image upload 'big.png' is 20000x20000");
    // refused from the header: nothing near the 1.2 GB raster was allocated
    assertThat(usedHeap() - before).isLessThan(200L << 20);

    byte[] png = encode(picture(), "png"); // 320 x 240 = 76800 pixels
    ImageLoader small = ImageLoader.builder().optMaxPixels(76_799).build();
    assertThat(small.maxPixels()).isEqualTo(76_799);
    assertThatThrownBy(() -> small.read(png)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("320x240 = 76800 pixels (0.1 megapixels), above the limit of 76799 pixels (0.1 megapixels)");
    Path f = Files.write(tmp.resolve("p.png"), png);
    assertThatThrownBy(() -> small.read(f)).hasMessageContaining("p.png is 320x240");
    assertThat(ImageLoader.builder().optMaxPixels(76_800).build().read(png).getWidth()).isEqualTo(320);
    assertThat(ImageLoader.defaults().maxPixels()).isEqualTo(100_000_000L);
    assertThatThrownBy(() -> ImageLoader.builder().optMaxPixels(0).build())
        .isInstanceOf(InvalidConfigException.class).hasMessage("maxPixels must be > 0, got 0");
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  @Test
  void cmykJpegsAreRefused() throws IOException {
    WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 64, 48, 4, null);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        cmyk.setPixel(x, y, new int[] {x * 4, y * 5, 100, 30});
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(cmyk, null, null), null);
    } finally {
      writer.dispose();
    }
    byte[] jpeg = bytes.toByteArray();
    // the JDK itself decodes it, as CMYK, without complaint
    assertThat(ImageIO.read(new java.io.ByteArrayInputStream(jpeg)).getColorModel().getColorSpace().getType())
        .isEqualTo(java.awt.color.ColorSpace.TYPE_CMYK);
    assertThatThrownBy(() -> ImageInputs.read(jpeg)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is a CMYK JPEG: not supported").hasMessageContaining("convert it to RGB first");
  }

  @Test
  void outOfMemoryWhileDecodingSaysSo() throws Exception {
    // 9000 x 9000 = 81 megapixels passes the default limit; its 243 MB raster does not fit a 64 MB heap
    Path big = Files.write(tmp.resolve("big.png"), pngHeader(9000, 9000));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
        + Path.of("target", "test-classes").toAbsolutePath();
    Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", cp, ReadImage.class.getName(), big.toString())
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).as(out).startsWith("InvalidInputException: not enough memory to decode image " + big)
        .contains("9000x9000").contains("-Xmx").doesNotContain("corrupt");
    assertThat(p.exitValue()).as(out).isEqualTo(2);
  }

  /** Reads one image in a separate JVM; prints the exception's class and message. */
  public static final class ReadImage {
    public static void main(String[] args) {
      try {
        BufferedImage im = ImageInputs.read(Path.of(args[0]));
        System.out.println("read " + im.getWidth() + "x" + im.getHeight());
      } catch (Throwable t) {
        System.out.println(t.getClass().getSimpleName() + ": " + t.getMessage());
        System.exit(2);
      }
    }
  }
}
