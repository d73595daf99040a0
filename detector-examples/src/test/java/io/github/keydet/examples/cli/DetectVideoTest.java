package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.examples.Annotator;
import io.github.keydet.examples.video.TestVideos;
import io.github.keydet.examples.video.VideoFrames;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keydet detect VIDEO --out annotated.mp4 --json results.json} on a video made from the samples: every frame
 * is in the JSON with the detections the library gives for that frame as decoded (run here directly on the frames
 * of the input video), the expected object is found on each sample's frames, and the annotated video has the same
 * frames with the boxes drawn (the class colour along the box edges, where the input frame has other colours).
 */
class DetectVideoTest {
  @TempDir Path dir;

  @Test
  void detectsEveryFrameAndWritesAnAnnotatedVideoAndPerFrameJson() throws IOException {
    Path video = TestVideos.write(dir.resolve("samples.mp4"));
    Path out = dir.resolve("annotated.mp4");
    Path json = dir.resolve("results.json");
    CliRun run = CliRun.of("detect", video.toString(), "--out", out.toString(), "--json", json.toString(),
        "--provider", "cpu");
    assertThat(run.exit()).as(run.err()).isEqualTo(0);
    int n = TestVideos.SAMPLES.size() * TestVideos.FRAMES_PER_SAMPLE;
    assertThat(run.out()).contains("video samples.mp4: " + n + " frames at 5.00 frames/s");
    assertThat(run.err()).containsPattern("keydet: " + n + " frames in [0-9.]+ s: [0-9.]+ frames/s \\(decode, detect,"
        + " draw, encode\\); detection alone [0-9.]+ frames/s");

    JsonNode doc = new ObjectMapper().readTree(json.toFile());
    assertThat(doc.path("frame_count").asInt()).isEqualTo(n);
    assertThat(doc.path("width").asInt()).isEqualTo(TestVideos.WIDTH);
    assertThat(doc.path("height").asInt()).isEqualTo(TestVideos.HEIGHT);
    assertThat(doc.path("frames_per_second").asDouble()).isCloseTo(5.0, within(1e-3));
    JsonNode frames = doc.path("frames");
    assertThat(frames.size()).isEqualTo(n);

    List<BufferedImage> input = decodeAll(video);
    List<BufferedImage> annotated = decodeAll(out);
    assertThat(input).hasSize(n);
    assertThat(annotated).hasSize(n);
    List<String> expected = List.of("person", "cup", "cat");
    try (OnnxDetector detector = OnnxDetector.builder().setModel(BundledModels.COCO.bytes(), "coco")
        .optProvider(ExecutionProvider.cpu()).build()) {
      for (int i = 0; i < n; i++) {
        JsonNode frame = frames.get(i);
        assertThat(frame.path("frame").asInt()).isEqualTo(i);
        assertThat(frame.path("time_s").asDouble()).isCloseTo(i / 5.0, within(1e-3));
        DetectionResult ref = detector.detect(input.get(i));
        JsonNode rows = frame.path("detections");
        assertThat(rows.size()).as("frame %d detections", i).isEqualTo(ref.detections().size());
        for (int k = 0; k < rows.size(); k++) {
          Detection d = ref.detections().get(k);
          JsonNode row = rows.get(k);
          assertThat(row.path("label").asText()).isEqualTo(d.label());
          assertThat(row.path("score").asDouble()).isCloseTo(d.score(), within(6e-4));
          assertThat(row.path("bbox").get(0).asDouble()).isCloseTo(d.box().x1(), within(6e-4));
          assertThat(row.path("bbox").get(1).asDouble()).isCloseTo(d.box().y1(), within(6e-4));
          assertThat(row.path("bbox").get(2).asDouble()).isCloseTo(d.box().width(), within(6e-4));
          assertThat(row.path("bbox").get(3).asDouble()).isCloseTo(d.box().height(), within(6e-4));
        }
        String label = expected.get(i / TestVideos.FRAMES_PER_SAMPLE);
        assertThat(ref.detections()).as("frame %d", i).anyMatch(d -> d.label().equals(label));
        assertBoxesDrawn(ref.detections(), input.get(i), annotated.get(i), i);
      }
    }
  }

  /** Along the left edge of each box (below its label), the annotated frame is near the class colour. */
  private static void assertBoxesDrawn(List<Detection> detections, BufferedImage in, BufferedImage out, int frame) {
    Detection best = detections.get(0);
    Color c = Annotator.colorOf(best.classId());
    int x = Math.round(best.box().x1());
    int y1 = Math.round(best.box().y1()) + 30;
    int y2 = Math.round(best.box().y2()) - 5;
    double drawn = 0;
    double before = 0;
    int count = 0;
    for (int y = y1; y < y2; y++) {
      int px = Math.max(0, Math.min(out.getWidth() - 1, x));
      drawn += distance(out.getRGB(px, y), c);
      before += distance(in.getRGB(px, y), c);
      count++;
    }
    assertThat(count).isGreaterThan(20);
    assertThat(drawn / count).as("frame %d: annotated left edge to %s (input frame: %.1f)", frame, c, before / count)
        .isLessThan(45.0).isLessThan(before / count / 2);
  }

  private static double distance(int rgb, Color c) {
    int r = (rgb >> 16) & 0xff;
    int g = (rgb >> 8) & 0xff;
    int b = rgb & 0xff;
    return Math.sqrt((r - c.getRed()) * (r - c.getRed()) + (g - c.getGreen()) * (g - c.getGreen())
        + (b - c.getBlue()) * (b - c.getBlue())) / Math.sqrt(3);
  }

  private static List<BufferedImage> decodeAll(Path file) {
    List<BufferedImage> out = new ArrayList<>();
    try (VideoFrames in = VideoFrames.open(file)) {
      for (BufferedImage f = in.next(); f != null; f = in.next()) {
        out.add(f);
      }
    }
    return out;
  }
}
