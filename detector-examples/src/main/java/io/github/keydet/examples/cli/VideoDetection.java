package io.github.keydet.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.examples.Annotator;
import io.github.keydet.examples.video.VideoFrames;
import io.github.keydet.examples.video.VideoWriter;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code keydet detect VIDEO}: every frame decoded, detected, and (with {@code --out}) drawn with the
 * {@link Annotator} and encoded into an MP4 at the input's frame rate, as CenterNet's demo does for video files.
 * The JSON holds the video's size and rate and, per frame, its index, time and detections (COCO rows: bbox as x, y,
 * w, h in image pixels). Frames/s of the whole loop and of detection alone are reported on stderr.
 */
final class VideoDetection {
  private final ModelOptions model;
  private final Path out;
  private final Path json;
  private final PrintWriter stdout;
  private final PrintWriter stderr;

  VideoDetection(ModelOptions model, Path out, Path json, PrintWriter stdout, PrintWriter stderr) {
    this.model = model;
    this.out = out;
    this.json = json;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The annotated video's path: {@code --out} itself when it names an .mp4 file, else NAME.mp4 inside it. */
  static Path outputFile(Path out, Path video) {
    String n = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".mp4") ? out : out.resolve(DetectCommand.stem(video) + ".mp4");
  }

  int run(Path video) throws IOException {
    List<Map<String, Object>> frames = new ArrayList<>();
    int width;
    int height;
    double fps;
    long detectNanos = 0;
    long start;
    int count = 0;
    try (VideoFrames in = VideoFrames.open(video); OnnxDetector detector = model.build()) {
      boolean cocoIds = detector.spec().labels().size() == 80;
      fps = in.framesPerSecond();
      stdout.printf(Locale.ROOT, "model %s (%s) on %s%n", detector.modelInfo().name(), detector.modelInfo().family(),
          detector.modelInfo().executionProvider());
      stdout.printf(Locale.ROOT, "video %s: %d frames at %.2f frames/s%n", video.getFileName(), in.frameCount(), fps);
      stdout.printf(Locale.ROOT, "%-28s %-16s %6s  %s%n", "frame", "label", "score", "box x1, y1, x2, y2 (pixels)");
      Path outFile = out == null ? null : outputFile(out, video);
      start = System.nanoTime();
      try (VideoWriter writer = outFile == null ? null : VideoWriter.create(outFile, fps);
          ProgressBar bar = progress(in.frameCount())) {
        BufferedImage frame = in.next();
        width = frame == null ? 0 : frame.getWidth();
        height = frame == null ? 0 : frame.getHeight();
        while (frame != null) {
          long t0 = System.nanoTime();
          DetectionResult result = detector.detect(frame);
          detectNanos += System.nanoTime() - t0;
          frames.add(frameRow(count, count / fps, result.detections(), cocoIds));
          for (Detection d : result.detections()) {
            stdout.printf(Locale.ROOT, "%-28s %-16s %6.3f  [%.1f, %.1f, %.1f, %.1f]%n", "frame " + count, d.label(),
                d.score(), d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2());
          }
          if (writer != null) {
            writer.write(Annotator.draw(frame, result.detections(), detector.modelInfo().family()));
          }
          count++;
          bar.step();
          frame = in.next();
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (json != null) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("video", video.getFileName().toString());
      doc.put("width", width);
      doc.put("height", height);
      doc.put("frames_per_second", Math.round(fps * 1000) / 1000.0);
      doc.put("frame_count", count);
      doc.put("frames", frames);
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
    }
    stdout.flush();
    stderr.printf(Locale.ROOT, "keydet: %d frames in %.1f s: %.1f frames/s (decode, detect%s); detection alone %.1f"
        + " frames/s%n", count, seconds, count / seconds, out == null ? "" : ", draw, encode",
        count / Math.max(1e-9, detectNanos / 1e9));
    stderr.flush();
    return KeyDetCli.EXIT_OK;
  }

  private static Map<String, Object> frameRow(int index, double time, List<Detection> detections, boolean cocoIds) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("frame", index);
    row.put("time_s", Math.round(time * 1000) / 1000.0);
    List<Map<String, Object>> rows = new ArrayList<>(detections.size());
    for (Detection d : detections) {
      rows.add(DetectCommand.detectionRow(d, cocoIds));
    }
    row.put("detections", rows);
    return row;
  }

  private static ProgressBar progress(int total) {
    return new ProgressBarBuilder().setTaskName("frames").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
  }
}
