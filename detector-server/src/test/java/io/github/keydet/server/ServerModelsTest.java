package io.github.keydet.server;

import static io.github.keydet.server.ServerHarness.assertError;
import static io.github.keydet.server.ServerHarness.assertPoints;
import static io.github.keydet.server.ServerHarness.assertSameDetections;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.api.Box3D;
import io.github.keydet.api.Detection;
import io.github.keydet.api.InstanceMask;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.coco.Rle;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.onnx.OnnxDetector;
import io.github.keydet.server.ServerHarness.Reply;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Models other than the default, served from files ({@code --model FILE}): the tiny exported pose and 3D models
 * and an ExtremeNet that reads its heads from the image's pixels give keypoints, 3D boxes, extreme points and
 * octagons, and ExtremeNet with a DEXTR model ({@code --dextr}) instance
 * masks; the JSON holds them exactly as {@link OnnxDetector#detect} of the same file gives them (the mask read back
 * from its COCO RLE string). Also the command line's options and a model name that does not exist.
 */
class ServerModelsTest {
  private static final PostprocessConfig ALL = PostprocessConfig.defaults().withScoreThreshold(0f);
  private static final Path PIXEL_HEADS =
      Path.of("../detector-onnx/src/test/resources/pixelheads/extremenet_pixel_heads.onnx");

  private static List<Detection> served(Path model, Path image, String query) {
    try (ServerHarness h = ServerHarness.start(ModelChoice.parse(model.toString()), b -> b)) {
      Reply r = h.post("/v1/detect" + query, "image/png", ServerHarness.read(image));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      try (OnnxDetector d = OnnxDetector.builder().setModel(model).optPostprocess(ALL).build()) {
        List<Detection> expected = d.detect(image).detections();
        JsonNode detections = r.json().get("detections");
        assertSameDetections(detections, expected);
        for (int i = 0; i < expected.size(); i++) {
          assertBox3d(detections.get(i).get("box3d"), expected.get(i).box3d());
        }
        return expected;
      }
    }
  }

  private static void assertBox3d(JsonNode j, Box3D b) {
    if (b == null) {
      assertThat(j).isNull();
      return;
    }
    assertThat(new float[] {j.get("depth").floatValue(), j.get("height").floatValue(), j.get("width").floatValue(),
        j.get("length").floatValue(), j.get("alpha").floatValue()})
        .isEqualTo(new float[] {b.depth(), b.height(), b.width(), b.length(), b.alpha()});
    if (Float.isNaN(b.rotationY())) {
      assertThat(j.get("rotationY")).isNull();
    } else {
      assertThat(j.get("rotationY").floatValue()).isEqualTo(b.rotationY());
    }
    assertThat(j.has("location") ? j.get("location").size() : 0).isEqualTo(b.location().size());
    for (int k = 0; k < b.location().size(); k++) {
      assertThat(j.get("location").get(k).floatValue()).isEqualTo(b.location().get(k));
    }
    assertPoints(j.get("projectedCorners"), b.projectedCorners(), "projected corners");
  }

  @Test
  void poseKeypointsAreThoseOfTheDetector() {
    List<Detection> d = served(ServerHarness.TINY.resolve("dla34_multi_pose.onnx"),
        ServerHarness.TINY.resolve("dla34_multi_pose.png"), "?threshold=0");
    assertThat(d).isNotEmpty().allSatisfy(x -> assertThat(x.keypoints()).hasSize(17));
  }

  @Test
  void extremeNetPointsAndOctagonsAreThoseOfTheDetector() {
    // the tiny random export groups nothing above 0; the pixel-heads model reads its heads from the image
    List<Detection> d = served(PIXEL_HEADS, ServerHarness.TINY.resolve("hourglass104_exdet.png"),
        "?threshold=0&maxDetections=20");
    assertThat(d).isNotEmpty().allSatisfy(x -> {
      assertThat(x.keypoints()).hasSize(4);
      assertThat(x.polygon()).hasSize(8);
    });
  }

  @Test
  void threeDBoxesAreThoseOfTheDetector() {
    List<Detection> d = served(ServerHarness.TINY.resolve("dla34_ddd.onnx"), ServerHarness.TINY.resolve("dla34_ddd.png"),
        "?threshold=0");
    assertThat(d).isNotEmpty().allSatisfy(x -> assertThat(x.box3d()).isNotNull());
    assertThat(d.get(0).box3d().location()).hasSize(3);
  }

  @Test
  void dextrMasksAreThoseOfTheDetector() {
    Path model = PIXEL_HEADS;
    Path dextr = Path.of("../detector-onnx/src/test/resources/dextr/dextr_tiny.onnx");
    Path image = ServerHarness.TINY.resolve("hourglass104_exdet.png");
    PostprocessConfig post = PostprocessConfig.defaults().withScoreThreshold(0.05f).withMaxDetections(4);
    try (ServerHarness h = ServerHarness.start(ModelChoice.parse(model.toString()),
            b -> b.optDextrModel(dextr).optThreshold(0.05f).optMaxDetections(4));
        OnnxDetector d = OnnxDetector.builder().setModel(model).optPostprocess(post).optDextrModel(dextr).build()) {
      List<Detection> expected = d.detect(image).detections();
      Reply r = h.post("/v1/detect", "image/png", ServerHarness.read(image));
      JsonNode detections = r.json().get("detections");
      assertSameDetections(detections, expected);
      long area = 0;
      for (int i = 0; i < expected.size(); i++) {
        InstanceMask m = expected.get(i).optMask().orElseThrow();
        JsonNode j = detections.get(i).get("mask");
        assertThat(j.get("size").get(0).asInt()).isEqualTo(m.height());
        assertThat(j.get("size").get(1).asInt()).isEqualTo(m.width());
        Rle rle = Rle.fromString(j.get("counts").asText(), m.height(), m.width());
        assertThat(rle.counts()).isEqualTo(m.rleCounts());
        assertThat(j.get("area").asLong()).isEqualTo(m.area()).isEqualTo(rle.area());
        area += m.area();
      }
      assertThat(area).as("some mask has pixels").isPositive();
      // masks are computed at the server's threshold, so a request may not go below it
      assertError(h.post("/v1/detect?threshold=0.01", "image/png", ServerHarness.read(image)), 400,
          "invalid_option", "threshold 0.01 is below 0.05, the lowest this server gives (with --dextr");
      assertThat(h.get("/v1/models").json().get("models").get(0).get("segmenter").asText()).endsWith("dextr_tiny.onnx");
    }
  }

  @Test
  void theCommandLineSetsTheConfigAndNamesAnUnknownModel() {
    ServeCommand cmd = new ServeCommand();
    int parsed = new picocli.CommandLine(cmd).parseArgs("--port", "0", "--max-concurrency", "3", "--max-queue", "5",
        "--max-body-bytes", "1000", "--max-pixels", "2000", "--timeout-ms", "1500", "--threshold", "0.4").errors()
        .size();
    assertThat(parsed).isZero();
    ServerConfig c = cmd.config();
    assertThat(c.model().name()).isEqualTo("coco");
    assertThat(new long[] {c.port(), c.maxConcurrency(), c.maxQueue(), c.maxBodyBytes(), c.maxPixels(),
        c.requestTimeout().toMillis()}).containsExactly(0, 3, 5, 1000, 2000, 1500);
    assertThat(c.defaults().threshold()).isEqualTo(0.4f);
    assertThatThrownBy(() -> ModelChoice.parse("no-such-model")).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("--model no-such-model: no such file, and no bundled model of that name (bundled: coco,");
    java.io.StringWriter err = new java.io.StringWriter();
    assertThat(new picocli.CommandLine(new ServeCommand()).setErr(new java.io.PrintWriter(err))
        .execute("--no-such-option")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
  }
}
