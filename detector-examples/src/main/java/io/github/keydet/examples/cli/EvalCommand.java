package io.github.keydet.examples.cli;

import io.github.keydet.api.KeyDetException;
import io.github.keydet.core.eval.CocoDataset;
import io.github.keydet.core.eval.CocoEvalResult;
import io.github.keydet.core.eval.CocoEvaluator;
import io.github.keydet.core.eval.CocoJson;
import io.github.keydet.core.eval.CocoResult;
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
 * {@code keydet eval}: COCO evaluation of an existing results file against an instances file; prints the
 * 12-line summary as pycocotools does and, with {@code --plot DIR}, writes one precision/recall PNG per IoU
 * threshold (mean over categories, area "all", maxDets 100).
 *
 * <p>Running a model first ({@code --images --model --flip --scales}) is not part of this class yet: code that
 * produces detections should build {@link CocoResult}s and call {@link #evaluate(List)} after
 * {@link #loadAnnotations()}. Exit codes: 0 success, 2 bad input, 1 other errors. Not thread-safe (picocli fills
 * its fields).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate detections with the COCO rules (bbox or segm) and print AP/AR.")
public final class EvalCommand implements Callable<Integer> {

  @Option(names = "--annotations", required = true, paramLabel = "FILE", description = "COCO instances JSON.")
  Path annotations;

  @Option(names = "--results", paramLabel = "FILE", description = "COCO results JSON to evaluate.")
  Path results;

  @Option(names = "--iou-type", defaultValue = "bbox", paramLabel = "TYPE", description = "bbox or segm (default: ${DEFAULT-VALUE}).")
  String iouType;

  @Option(names = "--plot", paramLabel = "DIR", description = "Write precision/recall PNGs into this directory.")
  Path plotDir;

  @Spec CommandSpec spec;

  private CocoDataset groundTruth;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (results == null) {
        err.println("--results is required (running a model is not available in this command yet)");
        return 2;
      }
      loadAnnotations();
      List<CocoResult> dets = CocoJson.readResults(results);
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
