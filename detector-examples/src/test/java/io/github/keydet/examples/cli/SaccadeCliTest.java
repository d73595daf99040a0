package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keydet detect --model saccade.onnx}: detector-onnx's tiny CornerNet-Saccade export ({@code
 * tools/testdata/saccade_reference.py}) runs its crop search from the command line, with the family's K (12) when
 * {@code --K} is not given, and the flip test is refused with a configuration error.
 */
class SaccadeCliTest {
  private static final Path DIR = Path.of("../detector-onnx/src/test/resources/saccade");

  @Test
  void detectRunsTheSaccadeSearch(@TempDir Path tmp) throws Exception {
    Path json = tmp.resolve("dets.json");
    CliRun r = CliRun.of("detect", DIR.resolve("image.png").toString(), "--model",
        DIR.resolve("saccade_tiny.onnx").toString(), "--provider", "cpu", "--threshold", "0", "--nms-iou", "1",
        "--json", json.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode out = new ObjectMapper().readTree(Files.readString(json));
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
    assertThat(out.toString()).contains("\"score\"");
    // the default --max-detections 100 equals max_per_image: the same count as the reference
    assertThat(countScores(out)).isEqualTo(ref.get("detections").size());

    CliRun flip = CliRun.of("detect", DIR.resolve("image.png").toString(), "--model",
        DIR.resolve("saccade_tiny.onnx").toString(), "--provider", "cpu", "--flip");
    assertThat(flip.exit()).isNotZero();
    assertThat(flip.err()).contains("CORNERNET_SACCADE");
  }

  private static int countScores(JsonNode n) {
    int c = n.has("score") ? 1 : 0;
    for (JsonNode child : n) {
      c += countScores(child);
    }
    return c;
  }
}
