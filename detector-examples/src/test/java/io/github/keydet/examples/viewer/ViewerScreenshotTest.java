package io.github.keydet.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.Detection;
import io.github.keydet.api.ImageInputs;
import io.github.keydet.examples.Annotator;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The viewer on a real X display: starts Debian's {@code Xvfb} (package {@code xvfb}; the test fails, never skips,
 * when it is missing), runs {@link ScreenshotMain} in a JVM of its own on that display, and checks its screenshot:
 * along the left and right edges of every box the library detects in the image (reference: an OnnxDetector run
 * here at the viewer's threshold 0.3) the screen has the box's class colour, where the image itself has not.
 */
class ViewerScreenshotTest {
  @TempDir Path dir;

  @Test
  void theScreenShowsTheDetectedBoxes() throws Exception {
    Path image = Path.of("samples", "astronaut.png");
    Path shotFile = dir.resolve("screen.png");
    Path layoutFile = dir.resolve("layout.json");
    Process xvfb = startXvfb();
    try {
      String display = readDisplay(xvfb);
      Path log = dir.resolve("viewer.log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx2g", "-cp", cp, ScreenshotMain.class.getName(),
          image.toString(), shotFile.toString(), layoutFile.toString()).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      pb.environment().put("DISPLAY", display);
      Process viewer = pb.start();
      boolean done = viewer.waitFor(180, TimeUnit.SECONDS);
      if (!done) {
        viewer.destroyForcibly();
      }
      assertThat(done && viewer.exitValue() == 0).as("viewer on display %s: %s", display, Files.readString(log))
          .isTrue();
    } finally {
      xvfb.destroy();
      if (!xvfb.waitFor(10, TimeUnit.SECONDS)) {
        xvfb.destroyForcibly();
      }
    }
    JsonNode layout = new ObjectMapper().readTree(layoutFile.toFile());
    BufferedImage shot = ImageIO.read(shotFile.toFile());
    BufferedImage original = ImageInputs.read(image);
    assertThat(layout.path("scale").asDouble()).as("the 512x512 image fits at 1:1").isEqualTo(1.0);
    int ox = (int) Math.round(layout.path("x").asDouble());
    int oy = (int) Math.round(layout.path("y").asDouble());

    List<Detection> reference;
    try (OnnxDetector detector = OnnxDetector.builder().setModel(BundledModels.COCO.bytes(), "coco")
        .optProvider(ExecutionProvider.cpu()).build()) {
      reference = detector.detect(original).detections();
    }
    assertThat(reference).isNotEmpty();
    assertThat(layout.path("shown").asInt()).isEqualTo(reference.size());
    assertThat(layout.path("status").asText()).contains("astronaut.png", reference.size() + " of ");
    for (Detection d : reference) {
      Color c = Annotator.colorOf(d.classId());
      int y1 = Math.round(d.box().y1()) + 30; // below the label
      int y2 = Math.round(d.box().y2()) - 4;
      for (int x : new int[] {Math.round(d.box().x1()), Math.round(d.box().x2())}) {
        // a 2-pixel stroke centred on the edge covers columns x - 1 and x
        double onScreen = Math.max(fraction(shot, ox + x - 1, oy, y1, y2, c), fraction(shot, ox + x, oy, y1, y2, c));
        double inImage = Math.max(fraction(original, x - 1, 0, y1, y2, c), fraction(original, Math.min(511, x), 0, y1,
            y2, c));
        assertThat(onScreen).as("%s edge x=%d: share of screen pixels in %s", d.label(), x, c).isGreaterThan(0.9);
        assertThat(inImage).as("%s edge x=%d: share of image pixels in %s", d.label(), x, c).isLessThan(0.1);
      }
    }
  }

  /** Share of pixels in column {@code x}, rows y1..y2 (shifted by oy), within 8 levels of the colour. */
  private static double fraction(BufferedImage img, int x, int oy, int y1, int y2, Color c) {
    int hits = 0;
    for (int y = y1; y < y2; y++) {
      int p = img.getRGB(x, oy + y);
      if (Math.abs(((p >> 16) & 0xff) - c.getRed()) <= 8 && Math.abs(((p >> 8) & 0xff) - c.getGreen()) <= 8
          && Math.abs((p & 0xff) - c.getBlue()) <= 8) {
        hits++;
      }
    }
    return hits / (double) Math.max(1, y2 - y1);
  }

  /** Xvfb on a free display ({@code -displayfd 1}: it prints the display number it took). */
  private static Process startXvfb() {
    try {
      return new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new AssertionError("cannot start Xvfb (" + e.getMessage() + "): install Debian's xvfb package"
          + " (apt-get install -y xvfb) to run the viewer test", e);
    }
  }

  private static String readDisplay(Process xvfb) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.US_ASCII));
    String line = CompletableFuture.supplyAsync(() -> {
      try {
        return r.readLine();
      } catch (IOException e) {
        return null;
      }
    }).get(30, TimeUnit.SECONDS);
    if (line == null || !line.trim().matches("\\d+")) {
      throw new AssertionError("Xvfb did not report a display number (got " + line + "), exit "
          + (xvfb.isAlive() ? "none (still running)" : xvfb.exitValue()));
    }
    return ":" + line.trim();
  }
}
