package io.github.keydet.examples.cli;

import io.github.keydet.api.KeyDetException;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoJson;
import io.github.keydet.core.coco.CocoResult;
import io.github.keydet.core.eval.CocoEvalResult;
import io.github.keydet.core.eval.CocoEvaluator;
import io.github.keydet.core.eval.IouType;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keydet eval}: COCO evaluation of an existing results file against an instances (or, with {@code
 * --iou-type keypoints}, person_keypoints) file; prints the 12-line (keypoints: 10-line) summary as pycocotools
 * does and, with {@code --plot DIR}, writes one precision/recall PNG per IoU
 * threshold (mean over categories, area "all", maxDets 100).
 *
 * <p>With {@code --images DIR} it first runs a model (the default one, or {@code --model}, with {@code --flip}
 * and {@code --scales} for the papers' accuracy modes) on every annotated image found in DIR, with a progress
 * bar, maps the model's classes to the annotation categories by label name, and writes the results JSON
 * ({@code --write-results}). Exit codes: 0 success, 2 bad input, 1 other errors. Not thread-safe (picocli fills
 * its fields).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate detections with the COCO rules (bbox, segm or keypoints) and print AP/AR.")
public final class EvalCommand implements Callable<Integer> {

  @Option(names = "--annotations", required = true, paramLabel = "FILE",
      description = "COCO instances JSON (person_keypoints JSON for --iou-type keypoints).")
  Path annotations;

  @Option(names = "--results", paramLabel = "FILE", description = "COCO results JSON to evaluate.")
  Path results;

  @Option(names = "--iou-type", defaultValue = "bbox", paramLabel = "TYPE", description = "bbox, segm or keypoints (person_keypoints files: OKS, maxDets 20; default: ${DEFAULT-VALUE}).")
  String iouType;

  @Option(names = "--metric", defaultValue = "coco", paramLabel = "coco|nme",
      description = "coco: the 12 COCO numbers (default); nme: 300W facial-landmark NME, normalised by the"
          + " inter-ocular distance (outer eye corners 36 and 45, 0-based), and failure rates at 0.08 / 0.10 (needs"
          + " --images and a 68-landmark model).")
  String metric;

  @Option(names = "--plot", paramLabel = "DIR", description = "Write precision/recall PNGs into this directory.")
  Path plotDir;

  @Option(names = "--images", paramLabel = "DIR", description = "Run the model on the annotated images in this folder.")
  Path imagesDir;

  @Option(names = "--write-results", paramLabel = "FILE",
      description = "Where to write the results JSON of --images (default: results.json in the current folder).")
  Path writeResults = Path.of("results.json");

  @picocli.CommandLine.Mixin ModelOptions model;

  @Spec CommandSpec spec;

  private CocoDataset groundTruth;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      if ((results == null) == (imagesDir == null)) {
        err.println("give exactly one of --results FILE (evaluate a results file) or --images DIR (run a model)");
        return 2;
      }
      loadAnnotations();
      if (metric.equalsIgnoreCase("nme")) {
        if (imagesDir == null) {
          err.println("--metric nme runs the model: give --images DIR");
          return 2;
        }
        try (io.github.keydet.onnx.OnnxDetector detector = model.build()) {
          io.github.keydet.core.eval.LandmarkNme.Result r = LandmarkEval.run(detector, loadAnnotations(), imagesDir);
          PrintWriter out = spec.commandLine().getOut();
          out.printf(Locale.ROOT, "faces %d%nNME %.4f (normalised by the %s)%nfailure rate @0.08 %.4f%n"
              + "failure rate @0.10 %.4f%n", r.faces(), r.meanNme(), r.normalisation(), r.failureRate008(),
              r.failureRate010());
          out.flush();
        }
        return 0;
      }
      if (!metric.equalsIgnoreCase("coco")) {
        err.println("unknown --metric '" + metric + "': expected coco or nme");
        return 2;
      }
      List<CocoResult> dets = results != null ? CocoJson.readResults(results) : detect();
      evaluate(dets);
      return 0;
    } catch (KeyDetException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (UncheckedIOException e) {
      err.println("error: " + e.getMessage() + ": " + e.getCause().getMessage());
      return 1;
    }
  }

  /** Runs the model on every annotated image in {@code --images} and writes the results JSON. */
  private List<CocoResult> detect() {
    CocoDataset gt = loadAnnotations();
    if (!java.nio.file.Files.isDirectory(imagesDir)) {
      throw new io.github.keydet.api.InvalidInputException("--images is not a folder: " + imagesDir);
    }
    List<CocoResult> out = new ArrayList<>();
    try (io.github.keydet.onnx.OnnxDetector detector = model.build()) {
      long[] categoryOf = categoryMapping(detector.spec().labels(), gt);
      int missing = 0;
      try (me.tongfei.progressbar.ProgressBar bar = new me.tongfei.progressbar.ProgressBarBuilder()
          .setTaskName("eval").setInitialMax(gt.images().size())
          .setStyle(me.tongfei.progressbar.ProgressBarStyle.ASCII)
          .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build()) {
        for (io.github.keydet.core.coco.CocoImage image : gt.images()) {
          Path file = imagesDir.resolve(image.fileName());
          if (!java.nio.file.Files.isRegularFile(file)) {
            missing++;
          } else {
            for (io.github.keydet.api.Detection d : detector.detect(file).detections()) {
              if (d.classId() < categoryOf.length && categoryOf[d.classId()] >= 0) {
                out.add(CocoResult.of(image.id(), categoryOf[d.classId()], d));
              }
            }
          }
          bar.step();
        }
      }
      if (missing == gt.images().size()) {
        throw new io.github.keydet.api.InvalidInputException("none of the " + missing
            + " annotated images is in " + imagesDir + " (looked for e.g. " + gt.images().get(0).fileName() + ")");
      }
      if (missing > 0) {
        spec.commandLine().getErr().println("warning: " + missing + " annotated images not found in " + imagesDir
            + "; they count as missed");
      }
    }
    try (java.io.OutputStream os = java.nio.file.Files.newOutputStream(writeResults)) {
      CocoJson.writeResults(out, os);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + writeResults, e);
    }
    spec.commandLine().getOut().println("wrote " + out.size() + " detections to " + writeResults);
    return out;
  }

  /**
   * Model class channel to annotation category id, by label name (case-insensitive); -1 where a label has no
   * category. Fails when nothing matches, since every detection would then be dropped.
   */
  static long[] categoryMapping(List<String> labels, CocoDataset gt) {
    java.util.Map<String, Long> byName = new java.util.HashMap<>();
    for (io.github.keydet.core.coco.CocoCategory c : gt.categories()) {
      byName.put(c.name().toLowerCase(Locale.ROOT), c.id());
    }
    long[] map = new long[labels.size()];
    int matched = 0;
    for (int i = 0; i < labels.size(); i++) {
      Long id = byName.get(labels.get(i).toLowerCase(Locale.ROOT));
      map[i] = id == null ? -1 : id;
      matched += id == null ? 0 : 1;
    }
    if (matched == 0) {
      throw new io.github.keydet.api.InvalidInputException("none of the model's labels " + labels
          + " names a category of the annotations " + gt.categories().stream().map(io.github.keydet.core.coco.CocoCategory::name).toList());
    }
    return map;
  }

  /** Reads {@code --annotations} (once) and returns it. */
  public CocoDataset loadAnnotations() {
    if (groundTruth == null) {
      groundTruth = CocoJson.readAnnotations(annotations);
    }
    return groundTruth;
  }

  /**
   * Evaluates detections against {@code --annotations} with {@code --iou-type}, prints the summary to the
   * command's output and writes plots when {@code --plot} is set. The hook for code that runs a model.
   */
  public CocoEvalResult evaluate(List<CocoResult> detections) {
    CocoEvalResult r = CocoEvaluator.evaluate(loadAnnotations(), detections, IouType.parse(iouType));
    PrintWriter out = spec.commandLine().getOut();
    out.print(r.summary());
    out.flush();
    if (plotDir != null) {
      for (Path p : writePlots(r, plotDir)) {
        out.println("wrote " + p);
      }
      out.flush();
    }
    return r;
  }

  /** One PNG per IoU threshold: mean precision over categories at each recall threshold. */
  public static List<Path> writePlots(CocoEvalResult r, Path dir) {
    try {
      Files.createDirectories(dir);
      int[] shape = r.precisionShape();
      int bigT = shape[0];
      int bigR = shape[1];
      int bigK = shape[2];
      int a = Math.max(0, r.params().areaIndex("all"));
      int m = shape[4] - 1;
      List<Path> written = new ArrayList<>();
      for (int t = 0; t < bigT; t++) {
        double[] prec = new double[bigR];
        boolean any = false;
        for (int ri = 0; ri < bigR; ri++) {
          double sum = 0;
          int n = 0;
          for (int k = 0; k < bigK; k++) {
            double v = r.precision(t, ri, k, a, m);
            if (v > -1) {
              sum += v;
              n++;
            }
          }
          prec[ri] = n == 0 ? Double.NaN : sum / n;
          any |= n > 0;
        }
        double thr = r.params().iouThresholds()[t];
        String name = String.format(Locale.ROOT, "pr_%s_iou%.2f.png", r.iouType().name().toLowerCase(Locale.ROOT), thr);
        Path file = dir.resolve(name);
        ImageIO.write(plot(r.params().recallThresholds(), any ? prec : null,
            String.format(Locale.ROOT, "%s precision/recall @ IoU=%.2f", r.iouType().name().toLowerCase(Locale.ROOT), thr)),
            "png", file.toFile());
        written.add(file);
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plots into " + dir, e);
    }
  }

  private static BufferedImage plot(double[] recall, double[] precision, String title) {
    int w = 640;
    int h = 480;
    int left = 60;
    int right = 20;
    int top = 40;
    int bottom = 50;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      int pw = w - left - right;
      int ph = h - top - bottom;
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      for (int i = 0; i <= 10; i++) {
        int x = left + pw * i / 10;
        int y = top + ph - ph * i / 10;
        g.setColor(new Color(225, 225, 225));
        g.drawLine(x, top, x, top + ph);
        g.drawLine(left, y, left + pw, y);
        g.setColor(Color.DARK_GRAY);
        String lbl = String.format(Locale.ROOT, "%.1f", i / 10.0);
        g.drawString(lbl, x - 8, top + ph + 15);
        g.drawString(lbl, left - 28, y + 4);
      }
      g.setColor(Color.BLACK);
      g.drawRect(left, top, pw, ph);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(title, left, top - 12);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString("recall", left + pw / 2 - 15, h - 12);
      g.drawString("precision", 5, top - 2);
      if (precision == null) {
        g.drawString("no ground truth: nothing to plot", left + 20, top + 20);
        return img;
      }
      Path2D.Double path = new Path2D.Double();
      boolean started = false;
      for (int i = 0; i < recall.length; i++) {
        if (Double.isNaN(precision[i])) {
          continue;
        }
        double x = left + pw * recall[i];
        double y = top + ph - ph * precision[i];
        if (!started) {
          path.moveTo(x, y);
          started = true;
        } else {
          path.lineTo(x, y);
        }
      }
      g.setColor(new Color(31, 119, 180));
      g.setStroke(new BasicStroke(2f));
      g.draw(path);
      return img;
    } finally {
      g.dispose();
    }
  }
}
