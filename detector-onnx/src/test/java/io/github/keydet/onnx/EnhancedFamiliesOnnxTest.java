package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.post.PostprocessConfig;
import java.awt.image.BufferedImage;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Enhanced-CenterNet families run end to end through {@link OnnxDetector} on tiny random-weight models
 * ({@code tools/testdata/make_enhanced_tiny_models.py}): the spec (family, labels, grid points) is read from the
 * metadata, the heads are checked and decoded, detections carry their keypoints; the flip test runs where the family
 * has one and is refused, naming the reason, where it has none.
 */
class EnhancedFamiliesOnnxTest {

  private static Path model(String file) {
    try {
      return Path.of(EnhancedFamiliesOnnxTest.class.getResource("/enhanced/" + file).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BufferedImage image() {
    Random rnd = new Random(5);
    BufferedImage im = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < im.getHeight(); y++) {
      for (int x = 0; x < im.getWidth(); x++) {
        im.setRGB(x, y, rnd.nextInt(1 << 24));
      }
    }
    return im;
  }

  private static OnnxDetector.Builder builder(String file) {
    return OnnxDetector.builder().setModel(model(file)).optProvider(ExecutionProvider.cpu()).optIntraOpThreads(1)
        .optDecodeOptions(DecodeOptions.defaults().withK(20))
        .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(0.01f));
  }

  @Test
  void gridNeighborDetectsWithThePointItCameFromAndFlips() {
    for (boolean flip : new boolean[] {false, true}) {
      try (OnnxDetector d = builder("gridneighbor_tiny.onnx").optFlipTest(flip).build()) {
        assertThat(d.modelInfo().labels()).containsExactly("cat", "dog");
        DetectionResult r = d.detect(image());
        assertThat(r.detections()).as("flip " + flip).isNotEmpty();
        for (Detection det : r.detections()) {
          assertThat(det.keypoints()).hasSize(1);
          assertThat(det.label()).isIn("cat", "dog");
          assertThat(det.box().x2()).isGreaterThanOrEqualTo(det.box().x1());
        }
      }
    }
  }

  @Test
  void landmarksCarrySixtyEightPointsWithAndWithoutFlip() {
    for (boolean flip : new boolean[] {false, true}) {
      try (OnnxDetector d = builder("landmark_tiny.onnx").optFlipTest(flip).build()) {
        DetectionResult r = d.detect(image());
        assertThat(r.detections()).as("flip " + flip).isNotEmpty();
        for (Detection det : r.detections()) {
          assertThat(det.keypoints()).hasSize(68);
          assertThat(det.label()).isEqualTo("face");
        }
      }
    }
  }

  @Test
  void deepFashion2CarriesItsCategorysLandmarksAndRefusesTheFlipTest() {
    // DeepFashion2's landmarks per category (upstream utils/debugger.py landmark_split)
    int[] perCategory = {25, 33, 31, 39, 15, 15, 10, 14, 8, 29, 37, 19, 19};
    try (OnnxDetector d = builder("deepfashion2_tiny.onnx").build()) {
      assertThat(d.modelInfo().labels()).hasSize(13);
      DetectionResult r = d.detect(image());
      assertThat(r.detections()).isNotEmpty();
      for (Detection det : r.detections()) {
        assertThat(det.keypoints()).as(det.label()).hasSize(perCategory[det.classId()]);
      }
    }
    assertThatThrownBy(() -> {
      try (OnnxDetector d = builder("deepfashion2_tiny.onnx").optFlipTest(true).build()) {
        d.detect(image());
      }
    }).isInstanceOf(InvalidConfigException.class).hasMessageContaining("DEEPFASHION2");
  }
}
