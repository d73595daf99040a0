package io.github.keydet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.onnx.OnnxDetector;
import java.io.IOException;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default model end to end on the three samples: the expected object is found, with a box in image pixels
 * that fits the reference box (reference/detections.json: the graph's own detections mapped back in numpy).
 */
class EndToEndTest {
  private static OnnxDetector detector;
  private static JsonNode reference;

  @BeforeAll
  static void load() throws IOException {
    detector = DefaultModelFixtures.builder().build();
    reference = new ObjectMapper().readTree(DefaultModelFixtures.REFERENCE.resolve("detections.json").toFile());
  }

  @AfterAll
  static void close() {
    detector.close();
  }

  @ParameterizedTest
  @CsvSource({"astronaut, person, 512, 512", "coffee, cup, 600, 400", "chelsea, cat, 451, 300"})
  void findsTheObjectWithAFittingBox(String name, String label, int width, int height) {
    DetectionResult result = detector.detect(DefaultModelFixtures.SAMPLES.resolve(name + ".png"));
    assertThat(result.imageWidth()).isEqualTo(width);
    assertThat(result.imageHeight()).isEqualTo(height);
    Detection best = result.detections().stream().filter(d -> d.label().equals(label))
        .max(Comparator.comparingDouble(Detection::score)).orElseThrow(
            () -> new AssertionError("no " + label + " in " + name + ": " + result.detections()));
    JsonNode ref = null;
    for (JsonNode d : reference.path("images").path(name).path("detections")) {
      if (d.path("label").asText().equals(label)) {
        ref = d;
        break;
      }
    }
    assertThat(ref).as("reference " + label + " in " + name).isNotNull();
    JsonNode b = ref.path("box");
    BoundingBox refBox = new BoundingBox(
        (float) b.get(0).asDouble(), (float) b.get(1).asDouble(), (float) b.get(2).asDouble(), (float) b.get(3).asDouble());
    double iou = best.box().iou(refBox);
    System.out.printf("%s: %s %.4f %s vs reference %s %.4f: IoU %.4f%n", name, label, best.score(), best.box(),
        refBox, ref.path("score").asDouble(), iou);
    assertThat(best.score()).isCloseTo((float) ref.path("score").asDouble(), org.assertj.core.api.Assertions.within(1e-3f));
    assertThat(iou).isGreaterThanOrEqualTo(0.7);
    // detections: in the image, best first, above the default threshold 0.3
    for (Detection d : result.detections()) {
      assertThat(d.box().x1()).isBetween(0f, (float) width);
      assertThat(d.box().x2()).isBetween(0f, (float) width);
      assertThat(d.box().y1()).isBetween(0f, (float) height);
      assertThat(d.box().y2()).isBetween(0f, (float) height);
      assertThat(d.score()).isGreaterThanOrEqualTo(0.3f);
    }
    assertThat(result.detections()).isSortedAccordingTo(Comparator.comparingDouble(Detection::score).reversed());
  }
}
