package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.post.PostprocessConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CornerNet-Saccade end to end through {@link OnnxDetector}: the tiny random-weight export and the image of {@code
 * tools/testdata/saccade_reference.py}, whose detections are that script's run of the test procedure (checked there against
 * the upstream {@code cornernet_saccade_inference} run on CPU with the same network): 28 crops, 13 first-stage
 * boxes, 100 merged detections. The merge uses the test code's overlap ({@code soft_nms} adds 1 to widths and
 * heights), so the expected rows are the ones the script checked against upstream's compiled {@code soft_nms}
 * ({@code detections_upstream_overlap}); with the SDK's overlap (no +1) the same boxes survive with other decayed
 * scores (the file's {@code detections}).
 */
class SaccadeDetectionTest {
  private static final Path DIR = Path.of("src/test/resources/saccade");

  /** The raw procedure: no score threshold, no extra NMS, no clipping (the test code has none). */
  private static final PostprocessConfig RAW = new PostprocessConfig(0f, 1f, false, 10_000, false);

  private static OnnxDetector.Builder detector() {
    return OnnxDetector.builder().setModel(DIR.resolve("saccade_tiny.onnx")).optProvider(ExecutionProvider.cpu());
  }

  @Test
  void detectionsEqualTheReferenceRunOfTheTestProcedure() throws Exception {
    DetectionResult result;
    try (OnnxDetector d = detector().optPostprocess(RAW).build()) {
      assertThat(d.spec().family().id()).isEqualTo("CORNERNET_SACCADE");
      result = d.detect(DIR.resolve("image.png"));
    }
    assertEqualsReference(result, "detections_upstream_overlap");
  }

  private static void assertEqualsReference(DetectionResult result, String key) throws Exception {
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
    List<JsonNode> expected = new ArrayList<>();
    ref.get(key).forEach(expected::add);
    assertThat(ref.get("crops").asInt()).isEqualTo(28);
    assertThat(expected).hasSize(100);
    List<Detection> got = new ArrayList<>(result.detections());
    assertThat(got).hasSize(expected.size());
    // greedy match: the reference's rows best first, each to the closest unmatched detection of its class
    for (JsonNode e : expected) {
      Detection best = null;
      double bestDist = Double.MAX_VALUE;
      for (Detection g : got) {
        if (g.classId() != e.get("class").asInt()) {
          continue;
        }
        double dist = Math.abs(g.box().x1() - e.get("box").get(0).asDouble())
            + Math.abs(g.box().y1() - e.get("box").get(1).asDouble())
            + Math.abs(g.box().x2() - e.get("box").get(2).asDouble())
            + Math.abs(g.box().y2() - e.get("box").get(3).asDouble())
            + 100 * Math.abs(g.score() - e.get("score").asDouble());
        if (dist < bestDist) {
          bestDist = dist;
          best = g;
        }
      }
      assertThat(best).as("a detection for %s", e).isNotNull();
      assertThat((double) best.score()).as("score of %s", e).isCloseTo(e.get("score").asDouble(), within(1e-4));
      for (int i = 0; i < 4; i++) {
        float[] b = {best.box().x1(), best.box().y1(), best.box().x2(), best.box().y2()};
        assertThat((double) b[i]).as("box of %s", e).isCloseTo(e.get("box").get(i).asDouble(), within(2e-3));
      }
      got.remove(best);
    }
    assertThat(result.timings()).isNotNull();
  }

  @Test
  void defaultsSelectAboveThresholdAndClip() throws Exception {
    try (OnnxDetector d = detector().build()) {
      List<Detection> dets = d.detect(DIR.resolve("image.png")).detections();
      assertThat(dets).isNotEmpty().allSatisfy(det -> {
        assertThat(det.score()).isGreaterThanOrEqualTo(0.3f);
        assertThat(det.box().x1()).isBetween(0f, 400f);
        assertThat(det.box().x2()).isBetween(0f, 400f);
        assertThat(det.box().y2()).isBetween(0f, 300f);
      });
    }
  }

  @Test
  void flipTestAndScalesAreRefused() {
    assertThatThrownBy(() -> detector().optFlipTest(true).build())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("CORNERNET_SACCADE");
    assertThatThrownBy(() -> detector().optScales(List.of(0.5, 1.0)).build())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("test scales");
  }

  @Test
  void attentionOutputsMissingOrOfTheWrongCountAreNamed() {
    assertThatThrownBy(() -> OnnxDetector.builder().setModel(Path.of("src/test/resources/bad/saccade_missing_att2.onnx"))
        .optProvider(ExecutionProvider.cpu()).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("att2").hasMessageContaining("missing").hasMessageContaining("[att0, att1]");
    assertThatThrownBy(() -> OnnxDetector.builder().setModel(Path.of("src/test/resources/bad/saccade_extra_att3.onnx"))
        .optProvider(ExecutionProvider.cpu()).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("unexpected [att3]").hasMessageContaining("exactly 3 attention outputs");
    assertThatThrownBy(() -> OnnxDetector.builder().setModel(Path.of("src/test/resources/bad/saccade_static_batch.onnx"))
        .optProvider(ExecutionProvider.cpu()).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("fixed batch of 1");
  }
}
