package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.Detection;
import io.github.keydet.api.Keypoint;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.examples.Annotator;
import io.github.keydet.examples.LandmarkPainter;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keydet detect --out} with the tiny random-weight landmark models of {@code
 * tools/testdata/make_enhanced_tiny_models.py} (detector-onnx's test resources): the annotated PNG has the class
 * colour at the landmarks of the detection the same settings give through {@link OnnxDetector} (68 face points;
 * the category's own clothing landmarks), and the whole PNG is {@link Annotator}'s landmark drawing of it (the
 * generic keypoint drawing differs: it has no face lines and skips landmarks scoring 0.1 or less).
 */
class LandmarkDetectCliTest {
  private static final Path MODELS = Path.of("../detector-onnx/src/test/resources/enhanced");

  private static Path noise(Path dir) throws Exception {
    Random rnd = new Random(7);
    BufferedImage im = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < im.getHeight(); y++) {
      for (int x = 0; x < im.getWidth(); x++) {
        int v = 40 + rnd.nextInt(40); // dark grey noise: no pixel has a class colour
        im.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    Path file = dir.resolve("noise.png");
    ImageIO.write(im, "png", file.toFile());
    return file;
  }

  private static int checkLandmarks(Path tmp, String model) throws Exception {
    Path image = noise(tmp);
    Path out = tmp.resolve(model);
    CliRun r = CliRun.of("detect", image.toString(), "--model", MODELS.resolve(model).toString(), "--out",
        out.toString(), "--threshold", "0.01", "--max-detections", "1", "--provider", "cpu");
    assertThat(r.exit()).as(r.err()).isZero();
    List<Detection> expected;
    ModelFamily family;
    try (OnnxDetector d = OnnxDetector.builder().setModel(MODELS.resolve(model)).optProvider(ExecutionProvider.cpu())
        .optDecodeOptions(DecodeOptions.defaults().withK(100))
        .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(0.01f).withMaxDetections(1)).build()) {
      expected = d.detect(image).detections();
      family = d.modelInfo().family();
    }
    assertThat(LandmarkPainter.paints(family)).as(family.id()).isTrue();
    assertThat(expected).hasSize(1);
    Detection det = expected.get(0);
    int color = Annotator.colorOf(det.classId()).getRGB() & 0xffffff;
    BufferedImage annotated = ImageIO.read(out.resolve("noise.png").toFile());
    int checked = 0;
    List<Keypoint> kps = det.keypoints();
    for (Keypoint k : kps) {
      int x = Math.round(k.x());
      int y = Math.round(k.y());
      // a landmark within 4 px of another may lie under that one's white rim
      boolean crowded = kps.stream().filter(o -> o != k).anyMatch(
          o -> Math.abs(Math.round(o.x()) - x) <= 4 && Math.abs(Math.round(o.y()) - y) <= 4);
      // inside the image, away from the box outline and the label of the one detection
      boolean nearBox = Math.abs(x - det.box().x1()) < 4 || Math.abs(x - det.box().x2()) < 4
          || Math.abs(y - det.box().y1()) < 4 || Math.abs(y - det.box().y2()) < 4 || y < det.box().y1() + 2;
      if (x >= 3 && y >= 3 && x < 157 && y < 117 && !nearBox && !crowded && k.score() > 0) {
        assertThat(annotated.getRGB(x, y) & 0xffffff).as("%s landmark at (%d, %d)", model, x, y).isEqualTo(color);
        checked++;
      }
    }
    // the whole picture is the landmark drawing of that detection (face lines included), not the generic one
    BufferedImage original = ImageIO.read(image.toFile());
    assertThat(samePixels(annotated, Annotator.draw(original, expected, family))).as(model).isTrue();
    if (det.keypoints().size() == LandmarkPainter.FACE_68) {
      assertThat(samePixels(annotated, Annotator.draw(original, expected))).as(model + " generic").isFalse();
    }
    return checked;
  }

  private static boolean samePixels(BufferedImage a, BufferedImage b) {
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        if ((a.getRGB(x, y) & 0xffffff) != (b.getRGB(x, y) & 0xffffff)) {
          return false;
        }
      }
    }
    return a.getWidth() == b.getWidth() && a.getHeight() == b.getHeight();
  }

  @Test
  void faceAndClothingLandmarksAreDrawnOnTheAnnotatedPng(@TempDir Path tmp) throws Exception {
    assertThat(checkLandmarks(tmp, "landmark_tiny.onnx")).isGreaterThan(5);
    assertThat(checkLandmarks(tmp, "deepfashion2_tiny.onnx")).isGreaterThan(2);
  }
}
