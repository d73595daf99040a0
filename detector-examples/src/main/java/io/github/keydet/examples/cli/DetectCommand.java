package io.github.keydet.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.KeyDetException;
import io.github.keydet.core.coco.CocoCategories;
import io.github.keydet.core.coco.Rle;
import io.github.keydet.examples.Annotator;
import io.github.keydet.examples.ImageFiles;
import io.github.keydet.examples.video.VideoFrames;
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
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keydet detect}: detect objects in images and folders of images. Every image is processed: one that
 * cannot be read or detected is reported on stderr (file and reason) and in the closing summary, the others
 * still give their rows and JSON results, and the exit code is {@link KeyDetCli#EXIT_SOME_FAILED}.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = "Detect objects in images (files or folders) or in a video; print a table, write annotated PNGs (an"
        + " annotated MP4 for a video) and COCO results JSON."
        + " An image that cannot be processed (empty, truncated, corrupt, CMYK, above --max-pixels) is reported on"
        + " stderr and skipped; the others are processed.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every image processed",
        "1:error before any image: a path that does not exist, no images found, bad model or settings",
        "2:invalid command line",
        "3:some images could not be processed (each reported on stderr); the others' results were written"})
public final class DetectCommand implements Callable<Integer> {
  private static final Pattern DIGITS = Pattern.compile("(\\d+)$");

  @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR|VIDEO",
      description = "Images or folders of images, or one video file (.mp4, .mov, .m4v: H.264)")
  List<Path> inputs;

  @Option(names = "--out", paramLabel = "DIR|FILE.mp4",
      description = "Write annotated PNGs into this folder; for a video, the annotated video (FILE.mp4, or DIR/NAME.mp4)")
  Path outDir;

  @Option(names = "--json", paramLabel = "FILE",
      description = "Write COCO-style results JSON (for a video: the detections of every frame)")
  Path jsonFile;

  @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "100000000",
      description = "Refuse images above N pixels (width x height), read from the file's header before decoding"
          + " (default: ${DEFAULT-VALUE})")
  long maxPixels;

  @Mixin ModelOptions model;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    // everything that can be checked without the model first: loading it takes seconds
    List<Path> missing = inputs.stream().filter(p -> !Files.exists(p)).toList();
    if (!missing.isEmpty()) {
      throw new InvalidInputException((missing.size() == 1 ? "image file or folder does not exist: "
          : "image files or folders do not exist: ") + missing.stream().map(Path::toString)
          .collect(Collectors.joining(", ")));
    }
    if (inputs.stream().anyMatch(VideoFrames::isVideo)) {
      if (inputs.size() != 1) {
        throw new InvalidInputException("a video must be the only input, got " + inputs.size() + " inputs: " + inputs);
      }
      return new VideoDetection(model, outDir, jsonFile, spec.commandLine().getOut(), spec.commandLine().getErr())
          .run(inputs.get(0));
    }
    ImageLoader loader = ImageLoader.builder().optMaxPixels(maxPixels).build();
    List<Path> images = ImageFiles.expand(inputs);
    if (images.isEmpty()) {
      throw new InvalidInputException("no images found in " + inputs);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Map<String, Object>> cocoResults = new ArrayList<>();
    List<Path> failed = new ArrayList<>();
    if (outDir != null) {
      Files.createDirectories(outDir);
    }
    // the images are decoded one ahead on another thread, the first while the model loads
    try (ImageReadAhead reads = new ImageReadAhead(images, loader); OnnxDetector detector = model.build()) {
      boolean cocoIds = detector.spec().labels().size() == 80;
      out.printf(Locale.ROOT, "model %s (%s) on %s%n", detector.modelInfo().name(), detector.modelInfo().family(),
          detector.modelInfo().executionProvider());
      out.printf(Locale.ROOT, "%-28s %-16s %6s  %s%n", "image", "label", "score", "box x1, y1, x2, y2 (pixels)");
      try (ProgressBar bar = images.size() > 1 ? progress(images.size()) : null) {
        for (int i = 0; i < images.size(); i++) {
          Path file = images.get(i);
          try {
            detectOne(detector, reads, file, i, cocoIds, out, cocoResults);
          } catch (KeyDetException e) {
            failed.add(file);
            out.printf(Locale.ROOT, "%-28s (failed, see stderr)%n", file.getFileName());
            // on its own line, not after the progress bar's
            err.println((bar != null ? System.lineSeparator() : "") + "keydet: failed " + file + ": " + e.getMessage());
            err.flush();
          }
          if (bar != null) {
            bar.step();
          }
        }
      }
    }
    if (jsonFile != null) {
      Path parent = jsonFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonFile.toFile(), cocoResults);
    }
    out.flush();
    if (failed.isEmpty()) {
      if (images.size() > 1) {
        err.printf(Locale.ROOT, "keydet: %d images, all processed%n", images.size());
      }
      err.flush();
      return KeyDetCli.EXIT_OK;
    }
    err.printf(Locale.ROOT, "keydet: %d images, %d processed, %d failed: %s%n", images.size(),
        images.size() - failed.size(), failed.size(),
        failed.stream().map(Path::toString).collect(Collectors.joining(", ")));
    err.flush();
    return KeyDetCli.EXIT_SOME_FAILED;
  }

  private void detectOne(OnnxDetector detector, ImageReadAhead reads, Path file, int index, boolean cocoIds,
      PrintWriter out, List<Map<String, Object>> cocoResults) throws IOException {
    BufferedImage image = reads.next(); // the image of `file`: the reads follow the list
    DetectionResult result = detector.detect(image);
    for (Detection d : result.detections()) {
      out.printf(Locale.ROOT, "%-28s %-16s %6.3f  [%.1f, %.1f, %.1f, %.1f]%n", file.getFileName(), d.label(),
          d.score(), d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2());
      cocoResults.add(cocoRow(file, index, d, cocoIds));
    }
    if (result.detections().isEmpty()) {
      out.printf(Locale.ROOT, "%-28s (no detections above the threshold)%n", file.getFileName());
    }
    if (outDir != null) {
      Path png = outDir.resolve(stem(file) + ".png");
      javax.imageio.ImageIO.write(Annotator.draw(image, result.detections(), detector.modelInfo().family()), "png", png.toFile());
    }
  }

  private static ProgressBar progress(int total) {
    return new ProgressBarBuilder().setTaskName("detect").setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
        .build();
  }

  private static Map<String, Object> cocoRow(Path file, int index, Detection d, boolean cocoIds) {
    Map<String, Object> row = new LinkedHashMap<>();
    Matcher m = DIGITS.matcher(stem(file));
    row.put("image_id", m.find() ? Long.parseLong(m.group(1)) : index);
    row.put("file_name", file.getFileName().toString());
    row.putAll(detectionRow(d, cocoIds));
    return row;
  }

  /** One detection as a COCO results row without the image: category_id, label, bbox (x, y, w, h), score. */
  static Map<String, Object> detectionRow(Detection d, boolean cocoIds) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("category_id", cocoIds ? CocoCategories.idOf(d.classId()) : d.classId());
    row.put("label", d.label());
    row.put("bbox", new double[] {round(d.box().x1()), round(d.box().y1()), round(d.box().width()), round(d.box().height())});
    row.put("score", round(d.score()));
    PoseResults.addKeypoints(row, d);
    d.optMask().ifPresent(mask -> row.put("segmentation", Map.of("size", new int[] {mask.height(), mask.width()},
        "counts", Rle.of(mask.height(), mask.width(), mask.rleCounts()).toCompressedString())));
    return row;
  }

  static double round(float v) {
    return Math.round(v * 1000.0) / 1000.0;
  }

  static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
