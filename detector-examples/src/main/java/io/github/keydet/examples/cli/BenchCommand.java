package io.github.keydet.examples.cli;

import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.ImageInputs;
import io.github.keydet.api.StageTimings;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keydet bench}: per-stage latency and throughput of a model on one image. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Per-stage latency (preprocess / inference / decode / postprocess, p50 and p95) and images per second.")
public final class BenchCommand implements Callable<Integer> {

  @Parameters(arity = "0..1", paramLabel = "IMAGE", defaultValue = "detector-examples/samples/astronaut.png",
      description = "Image to run on (default: ${DEFAULT-VALUE})")
  Path image;

  @Option(names = "--runs", defaultValue = "50", description = "Measured runs (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--warmup", defaultValue = "10", description = "Warm-up runs, not measured (default: ${DEFAULT-VALUE})")
  int warmup;

  @Mixin ModelOptions model;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (runs <= 0 || warmup < 0) {
      throw new io.github.keydet.api.InvalidConfigException("--runs must be > 0 and --warmup >= 0");
    }
    BufferedImage img = ImageInputs.read(image);
    PrintWriter out = spec.commandLine().getOut();
    try (OnnxDetector detector = model.build()) {
      for (int i = 0; i < warmup; i++) {
        detector.detect(img);
      }
      StageTimings[] t = new StageTimings[runs];
      long start = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        DetectionResult r = detector.detect(img);
        t[i] = r.timings();
      }
      long wall = System.nanoTime() - start;
      out.printf(Locale.ROOT, "model %s (%s) on %s, image %s %dx%d, %d runs after %d warm-up%n",
          detector.modelInfo().name(), detector.modelInfo().family(), detector.modelInfo().executionProvider(),
          image.getFileName(), img.getWidth(), img.getHeight(), runs, warmup);
      out.printf(Locale.ROOT, "%-12s %9s %9s %9s%n", "stage", "p50 ms", "p95 ms", "mean ms");
      row(out, "preprocess", t, StageTimings::preprocessNanos);
      row(out, "inference", t, StageTimings::inferenceNanos);
      row(out, "decode", t, StageTimings::decodeNanos);
      row(out, "postprocess", t, StageTimings::postprocessNanos);
      row(out, "total", t, StageTimings::totalNanos);
      out.printf(Locale.ROOT, "throughput: %.2f images/s%n", runs / (wall / 1e9));
    }
    out.flush();
    return 0;
  }

  private static void row(PrintWriter out, String name, StageTimings[] t, ToLongFunction<StageTimings> f) {
    long[] v = Arrays.stream(t).mapToLong(f).sorted().toArray();
    double mean = Arrays.stream(v).average().orElse(0);
    out.printf(Locale.ROOT, "%-12s %9.3f %9.3f %9.3f%n", name, pct(v, 0.50) / 1e6, pct(v, 0.95) / 1e6, mean / 1e6);
  }

  private static long pct(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
