package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.Detection;
import io.github.keydet.api.Keypoint;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keydet detect --model pose}: COCO keypoint results in {@code --json} and a skeleton on the PNG. */
class PoseCliTest {
  private static final Path ASTRONAUT = Path.of("samples/astronaut.png");

  @Test
  void detectWithThePoseModelWritesKeypointResultsAndDrawsTheSkeleton(@TempDir Path tmp) throws Exception {
    Path json = tmp.resolve("pose.json");
    CliRun r = CliRun.of("detect", ASTRONAUT.toString(), "--model", "pose", "--out", tmp.toString(),
        "--json", json.toString(), "--provider", "cpu");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("TFOD_CENTERNET_POSE").contains("person");

    List<Detection> expected;
    try (OnnxDetector d = BundledModels.builder("movenet").optProvider(ExecutionProvider.cpu()).build()) {
      expected = d.detect(ASTRONAUT).detections();
    }
    assertThat(expected).isNotEmpty();
    JsonNode rows = new ObjectMapper().readTree(json.toFile());
    assertThat(rows).hasSize(expected.size());
    JsonNode first = rows.get(0);
    assertThat(first.get("category_id").asInt()).isEqualTo(1);
    assertThat(first.get("keypoints")).hasSize(51);
    assertThat(first.get("keypoint_scores")).hasSize(17);
    List<Keypoint> kps = expected.get(0).keypoints();
    for (int j = 0; j < 17; j++) {
      assertThat(first.get("keypoints").get(3 * j).asDouble()).isCloseTo(kps.get(j).x(), org.assertj.core.data.Offset.offset(1e-3));
      assertThat(first.get("keypoints").get(3 * j + 1).asDouble()).isCloseTo(kps.get(j).y(), org.assertj.core.data.Offset.offset(1e-3));
      assertThat(first.get("keypoints").get(3 * j + 2).asInt()).isEqualTo(1);
    }
    // the nose and the eyes of the astronaut score high: the head limbs (nose-eye) are drawn
    assertThat(kps.get(0).score()).isGreaterThan(0.5f);
    assertThat(kps.get(1).score()).isGreaterThan(0.5f);
    BufferedImage original = ImageIO.read(ASTRONAUT.toFile());
    BufferedImage annotated = ImageIO.read(tmp.resolve("astronaut.png").toFile());
    int mx = Math.round((kps.get(0).x() + kps.get(1).x()) / 2);
    int my = Math.round((kps.get(0).y() + kps.get(1).y()) / 2);
    assertThat(annotated.getRGB(mx, my) & 0xffffff).isEqualTo(0xffdc28); // the head limb colour
    assertThat(original.getRGB(mx, my) & 0xffffff).isNotEqualTo(0xffdc28);
  }

  /** pycocotools' scenarios and printed summaries (tools/testdata/coco_keypoints_reference.py) in detector-core. */
  private static final Path KEYPOINT_REFS = Path.of("../detector-core/src/test/resources/eval/keypoints");

  @Test
  void evalWithKeypointsPrintsPycocotoolsTenLines() throws Exception {
    JsonNode stats = new ObjectMapper().readTree(KEYPOINT_REFS.resolve("stats.json").toFile());
    for (String scenario : List.of("crowds", "random_1")) {
      CliRun r = CliRun.of("eval", "--annotations", KEYPOINT_REFS.resolve(scenario + "_gt.json").toString(),
          "--results", KEYPOINT_REFS.resolve(scenario + "_res.json").toString(), "--iou-type", "keypoints");
      assertThat(r.exit()).as(r.err()).isZero();
      List<String> expected = new java.util.ArrayList<>();
      stats.get(scenario).get("summary").forEach(l -> expected.add(l.asText()));
      assertThat(r.out().lines().filter(l -> l.startsWith(" Average")).toList()).as(scenario)
          .hasSize(10).isEqualTo(expected);
    }
  }

  @Test
  void evalWithKeypointsRefusesResultsWithoutKeypoints(@TempDir Path tmp) throws Exception {
    Path boxes = tmp.resolve("boxes.json");
    java.nio.file.Files.writeString(boxes, "[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 30, 40], \"score\": 0.9}]");
    CliRun r = CliRun.of("eval", "--annotations", KEYPOINT_REFS.resolve("basic_gt.json").toString(),
        "--results", boxes.toString(), "--iou-type", "keypoints");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("result 0 has no keypoints; keypoint evaluation needs them");
  }
}
