package io.github.keydet.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.Detection;
import io.github.keydet.api.ImageInputs;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The slider's promise: the detections kept at the floor, filtered at threshold t, are exactly what the same
 * detector built with threshold t returns (reference: the detector itself, rebuilt per threshold).
 */
class ScoredDetectionsTest {
  private static OnnxDetector detector(float threshold) {
    return OnnxDetector.builder().setModel(BundledModels.COCO.bytes(), "coco").optProvider(ExecutionProvider.cpu())
        .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(threshold)).build();
  }

  @Test
  void filteringTheFloorsDetectionsEqualsDetectingAtTheThreshold() {
    float floor = ScoredDetections.DEFAULT_FLOOR;
    List<BufferedImage> images = List.of("astronaut", "coffee", "chelsea").stream()
        .map(n -> ImageInputs.read(Path.of("samples", n + ".png"))).toList();
    try (OnnxDetector low = detector(floor)) {
      List<ScoredDetections> kept = images.stream()
          .map(img -> new ScoredDetections(low.detect(img).detections(), floor)).toList();
      assertThat(kept.stream().mapToInt(k -> k.all().size()).sum()).as("detections at the floor").isGreaterThan(10);
      for (float t : new float[] {0.1f, 0.2f, 0.3f, 0.5f}) {
        try (OnnxDetector at = detector(t)) {
          for (int i = 0; i < images.size(); i++) {
            List<Detection> expected = at.detect(images.get(i)).detections();
            assertThat(kept.get(i).above(t)).as("image %d at %s", i, t).isEqualTo(expected);
          }
        }
      }
    }
  }

  @Test
  void aThresholdBelowTheFloorIsRefused() {
    ScoredDetections s = new ScoredDetections(List.of(), 0.1f);
    assertThatThrownBy(() -> s.above(0.05f)).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("threshold must be in [0.1, 1]").hasMessageContaining("got 0.05");
    assertThatThrownBy(() -> new ScoredDetections(List.of(), 1.5f)).isInstanceOf(InvalidConfigException.class);
  }
}
