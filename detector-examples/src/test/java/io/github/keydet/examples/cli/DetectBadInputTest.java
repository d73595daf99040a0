package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keydet detect} on damaged files made from the shipped photographs, through the program's own command
 * line: every file is processed, each failure reported with its file and reason, good results still written.
 */
class DetectBadInputTest {
  private static final Path SAMPLES = Path.of("samples");

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static byte[] jpeg(String sample) throws IOException {
    BufferedImage png = ImageIO.read(SAMPLES.resolve(sample + ".png").toFile());
    BufferedImage rgb = new BufferedImage(png.getWidth(), png.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    rgb.getGraphics().drawImage(png, 0, 0, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(rgb, "jpg", out)).isTrue();
    return out.toByteArray();
  }

  /** The sample's pixels as a 4-channel (CMYK) JPEG, as the JDK writes a 4-band raster. */
  private static byte[] cmykJpeg(String sample) throws IOException {
    BufferedImage png = ImageIO.read(SAMPLES.resolve(sample + ".png").toFile());
    WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, png.getWidth(), png.getHeight(), 4, null);
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        int p = png.getRGB(x, y);
        int r = (p >> 16) & 0xFF;
        int g = (p >> 8) & 0xFF;
        int b = p & 0xFF;
        int k = 255 - Math.max(r, Math.max(g, b));
        cmyk.setPixel(x, y, new int[] {255 - r - k, 255 - g - k, 255 - b - k, k});
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
    return bytes.toByteArray();
  }

  /** A PNG whose header claims {@code w x h} pixels (8-bit RGB), with no real pixel data. */
  private static byte[] pngClaiming(int w, int h) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(ihdr);
    d.writeInt(w);
    d.writeInt(h);
    d.write(new byte[] {8, 2, 0, 0, 0});
    byte[] data = ihdr.toByteArray();
    out.writeInt(data.length);
    out.write("IHDR".getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update("IHDR".getBytes(StandardCharsets.US_ASCII));
    crc.update(data);
    out.writeInt((int) crc.getValue());
    return bytes.toByteArray();
  }

  @Test
  void folderWithBadFilesProcessesEveryFileReportsEachFailureAndWritesTheGoodResults(@TempDir Path tmp)
      throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("images"));
    // bad files sort first: the first bad image must not stop the batch
    byte[] chelseaJpeg = jpeg("chelsea");
    byte[] astronautPng = Files.readAllBytes(SAMPLES.resolve("astronaut.png"));
    byte[] random = new byte[8192];
    new Random(11).nextBytes(random);
    Map<String, byte[]> bad = new HashMap<>();
    bad.put("1-empty.png", new byte[0]);
    bad.put("2-random.jpg", random);
    bad.put("3-truncated.jpg", Arrays.copyOf(chelseaJpeg, chelseaJpeg.length / 2));
    bad.put("4-first1000.jpg", Arrays.copyOf(chelseaJpeg, 1000));
    bad.put("5-truncated.png", Arrays.copyOf(astronautPng, astronautPng.length / 2));
    bad.put("6-cmyk.jpg", cmykJpeg("coffee"));
    bad.put("7-huge.png", pngClaiming(20000, 20000));
    for (Map.Entry<String, byte[]> e : bad.entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
    Files.write(dir.resolve("astronaut.png"), astronautPng);
    Files.write(dir.resolve("chelsea.jpg"), chelseaJpeg);
    Files.copy(SAMPLES.resolve("coffee.png"), dir.resolve("coffee.png"));
    Path json = tmp.resolve("results.json");

    CliRun r = run("detect", dir.toString(), "--json", json.toString(), "--out", tmp.resolve("out").toString(),
        "--provider", "cpu");

    assertThat(r.exit()).as(r.err()).isEqualTo(KeyDetCli.EXIT_SOME_FAILED).isEqualTo(3);
    Map<String, String> reasons = Map.of(
        "1-empty.png", "is empty (0 bytes)",
        "2-random.jpg", "is not in a supported format",
        "3-truncated.jpg", "truncated JPEG " + dir.resolve("3-truncated.jpg"),
        "4-first1000.jpg", "truncated JPEG " + dir.resolve("4-first1000.jpg"),
        "5-truncated.png", "(PNG) is corrupt or truncated",
        "6-cmyk.jpg", "is a CMYK JPEG: not supported",
        "7-huge.png", "is 20000x20000 = 400000000 pixels (400.0 megapixels), above the limit of 100000000 pixels");
    for (Map.Entry<String, String> e : reasons.entrySet()) {
      String line = r.err().lines().filter(l -> l.startsWith("keydet: failed " + dir.resolve(e.getKey()) + ": "))
          .findFirst().orElse("");
      assertThat(line).as("stderr line for %s in%n%s", e.getKey(), r.err()).contains(e.getValue());
      assertThat(r.out()).contains(e.getKey() + " ").contains("(failed, see stderr)");
    }
    String summary = r.err().lines().filter(l -> l.startsWith("keydet: 10 images, 3 processed, 7 failed: "))
        .findFirst().orElse("");
    assertThat(summary).as(r.err()).isNotEmpty();
    for (String name : bad.keySet()) {
      assertThat(summary).contains(dir.resolve(name).toString());
    }
    assertThat(summary).doesNotContain("astronaut").doesNotContain("chelsea").doesNotContain("coffee");

    // the good images: table rows, annotated PNGs and JSON results, as in a clean run
    assertThat(r.out()).contains("astronaut.png").contains("chelsea.jpg").contains("coffee.png");
    assertThat(tmp.resolve("out/astronaut.png")).exists();
    assertThat(tmp.resolve("out/chelsea.png")).exists();
    assertThat(tmp.resolve("out/coffee.png")).exists();
    assertThat(tmp.resolve("out/1-empty.png")).doesNotExist();
    JsonNode rows = new ObjectMapper().readTree(json.toFile());
    Map<String, Integer> bestCategory = new HashMap<>();
    Map<String, Double> bestScore = new HashMap<>();
    for (JsonNode row : rows) {
      String file = row.get("file_name").asText();
      double score = row.get("score").asDouble();
      if (score > bestScore.getOrDefault(file, -1.0)) {
        bestScore.put(file, score);
        bestCategory.put(file, row.get("category_id").asInt());
      }
    }
    // COCO category ids: person 1, cat 17, cup 47; no row for any bad file
    assertThat(bestCategory).containsOnlyKeys("astronaut.png", "chelsea.jpg", "coffee.png")
        .containsEntry("astronaut.png", 1).containsEntry("chelsea.jpg", 17).containsEntry("coffee.png", 47);
  }

  @Test
  void allGoodExitsZeroAndTheSummarySaysSo(@TempDir Path tmp) throws Exception {
    Path json = tmp.resolve("r.json");
    CliRun r = run("detect", SAMPLES.toString(), "--json", json.toString(), "--provider", "cpu");
    assertThat(r.exit()).as(r.err()).isEqualTo(KeyDetCli.EXIT_OK).isZero();
    assertThat(r.err()).contains("keydet: 3 images, all processed").doesNotContain("failed");
    assertThat(new ObjectMapper().readTree(json.toFile()).size()).isPositive();
  }

  @Test
  void maxPixelsRefusesLargerImagesFromTheirHeader() {
    Path astronaut = SAMPLES.resolve("astronaut.png"); // 512 x 512 = 262144 pixels
    CliRun r = run("detect", astronaut.toString(), "--max-pixels", "262143", "--provider", "cpu");
    assertThat(r.exit()).as(r.err()).isEqualTo(KeyDetCli.EXIT_SOME_FAILED);
    assertThat(r.err()).contains("keydet: failed " + astronaut + ": image " + astronaut
        + " is 512x512 = 262144 pixels (0.3 megapixels), above the limit of 262143 pixels (0.3 megapixels)");
    CliRun ok = run("detect", astronaut.toString(), "--max-pixels", "262144", "--provider", "cpu");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("person");
    CliRun zero = run("detect", astronaut.toString(), "--max-pixels", "0", "--provider", "cpu");
    assertThat(zero.exit()).isEqualTo(KeyDetCli.EXIT_ERROR);
    assertThat(zero.err()).contains("maxPixels must be > 0, got 0");
    assertThat(zero.out()).as("settings are checked before the model loads").isEmpty();
  }

  @Test
  void missingPathsAreReportedBeforeTheModelLoads(@TempDir Path tmp) throws Exception {
    // a model that cannot load: were it loaded first, its error would come first
    Path brokenModel = Files.write(tmp.resolve("broken.onnx"), new byte[] {1, 2, 3});
    Path missing = tmp.resolve("missing.png");
    CliRun r = run("detect", missing.toString(), "--model", brokenModel.toString(), "--provider", "cpu");
    assertThat(r.exit()).isEqualTo(KeyDetCli.EXIT_ERROR);
    assertThat(r.err()).contains("keydet: image file or folder does not exist: " + missing)
        .doesNotContain("broken.onnx");
    assertThat(r.out()).isEmpty();

    Path alsoMissing = tmp.resolve("gone");
    CliRun two = run("detect", SAMPLES.resolve("coffee.png").toString(), missing.toString(), alsoMissing.toString(),
        "--provider", "cpu");
    assertThat(two.exit()).isEqualTo(KeyDetCli.EXIT_ERROR);
    assertThat(two.err()).contains("image files or folders do not exist: " + missing + ", " + alsoMissing);
    assertThat(two.out()).as("no model line: the model was not loaded").isEmpty();
  }

  @Test
  void helpDocumentsTheExitCodes() {
    CliRun r = run("detect", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Exit codes:").contains("--max-pixels=N")
        .containsPattern("3\\s+some images could not be processed");
    CliRun top = run("--help");
    assertThat(top.out()).contains("Exit codes:").containsPattern("3\\s+detect: some images could not be");
  }
}
