package io.github.keydet.examples.cli;

import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.ImageInputs;
import io.github.keydet.api.StageTimings;
import io.github.keydet.api.ExtremePointSegmenter;
import io.github.keydet.api.Keypoint;
import io.github.keydet.onnx.DextrSegmenter;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
    description = "Per-stage latency (preprocess / inference / decode / postprocess, p50 and p95) and images per second;"
        + " with --dextr FILE, the DEXTR model's time per object at --points instead.")
public final class BenchCommand implements Callable<Integer> {

  @Parameters(arity = "0..1", paramLabel = "IMAGE", defaultValue = "detector-examples/samples/astronaut.png",
      description = "Image to run on (default: ${DEFAULT-VALUE})")
  Path image;

  @Option(names = "--runs", defaultValue = "50", description = "Measured runs (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--warmup", defaultValue = "10", description = "Warm-up runs, not measured (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--clients", defaultValue = "1", paramLabel = "N",
      description = "Concurrent callers sharing one detector; with more than 1, reports images/s, p50/p99 latency"
          + " per call and peak RSS over --runs calls in all (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
      description = "Images per call: detectAll with N copies of the image, up to --max-batch per network run"
          + " (default: ${DEFAULT-VALUE}: single detect calls)")
  int batch;

  @Option(names = "--max-batch", defaultValue = "1", paramLabel = "N",
      description = "Images per network run in detectAll (OnnxDetector.optMaxBatch; default: ${DEFAULT-VALUE})")
  int maxBatch;

  @Option(names = "--max-concurrent-runs", defaultValue = "0", paramLabel = "N",
      description = "Network runs at once (0 = automatic: with --threads 0, elastic runs, one per core while calls"
          + " overlap; else cores / intra-op threads; default: ${DEFAULT-VALUE})")
  int maxConcurrentRuns;

  @Option(names = "--points", split = ",", paramLabel = "x1,y1,...,x4,y4",
      defaultValue = "250,30,120,300,260,511,400,280",
      description = "With --dextr: the 4 extreme points (default: the astronaut, ${DEFAULT-VALUE})")
  List<Double> points;

  @Option(names = "--objects", defaultValue = "1", paramLabel = "N",
      description = "With --dextr: objects per call (the same points N times; default: ${DEFAULT-VALUE})")
  int objects;

  @Option(names = "--decode",
      description = "Decode the image file in every call (detect(byte[]), as the HTTP service does) instead of"
          + " reusing the decoded image")
  boolean decode;

  @Mixin ModelOptions model;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (runs <= 0 || warmup < 0 || clients <= 0 || maxConcurrentRuns < 0 || batch <= 0 || maxBatch <= 0) {
      throw new io.github.keydet.api.InvalidConfigException(
          "--runs, --clients, --batch and --max-batch must be > 0, --warmup and --max-concurrent-runs >= 0");
    }
    BufferedImage img = ImageInputs.read(image);
    byte[] encoded = decode ? readBytes(image) : null;
    PrintWriter out = spec.commandLine().getOut();
    if (model.dextr != null) { // --dextr FILE: the segmenter alone, on --points
      return dextr(model.dextr, img, out);
    }
    try (OnnxDetector detector =
        model.builder().optMaxConcurrentRuns(maxConcurrentRuns).optMaxBatch(maxBatch).build()) {
      java.util.function.Supplier<DetectionResult> call = decode
          ? () -> detector.detect(encoded) : () -> detector.detect(img);
      if (clients > 1) {
        return concurrent(detector, call, img, out);
      }
      if (batch > 1) {
        return batched(detector, img, out);
      }
      for (int i = 0; i < warmup; i++) {
        call.get();
      }
      StageTimings[] t = new StageTimings[runs];
      long start = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        DetectionResult r = call.get();
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

  /** {@code runs} calls of {@code segmentAll} with {@code objects} copies of the points; time per object. */
  private int dextr(Path dextr, BufferedImage img, PrintWriter out) {
    if (points.size() != 8 || objects <= 0) {
      throw new io.github.keydet.api.InvalidConfigException("--points needs 8 numbers and --objects must be > 0, got "
          + points.size() + " numbers and " + objects + " objects");
    }
    List<Keypoint> pts = ExtremePointSegmenter.points(points.stream().mapToDouble(Double::doubleValue).toArray());
    List<List<Keypoint>> all = java.util.Collections.nCopies(objects, pts);
    try (DextrSegmenter segmenter = DextrSegmenter.builder().setModel(dextr).optMaxBatch(objects)
        .optProvider(io.github.keydet.onnx.ExecutionProvider.parse(model.provider))
        .optIntraOpThreads(model.threads).build()) {
      for (int i = 0; i < warmup; i++) {
        segmenter.segmentAll(img, all);
      }
      long[] perObject = new long[runs];
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        segmenter.segmentAll(img, all);
        perObject[i] = (System.nanoTime() - t0) / objects;
      }
      Arrays.sort(perObject);
      out.printf(Locale.ROOT, "DEXTR %s (flip test %s) on %s, %d object(s) per call, %d runs after %d warm-up%n",
          dextr.getFileName(), segmenter.settings().flipTest() ? "on" : "off", image.getFileName(), objects, runs,
          warmup);
      out.printf(Locale.ROOT, "per object: p50 %.1f ms, p95 %.1f ms%n", pct(perObject, 0.50) / 1e6,
          pct(perObject, 0.95) / 1e6);
    }
    out.flush();
    return 0;
  }

  /** {@code runs} calls of {@code detectAll} on {@code batch} copies of the image. */
  private int batched(OnnxDetector detector, BufferedImage img, PrintWriter out) {
    java.util.List<BufferedImage> images = java.util.Collections.nCopies(batch, img);
    for (int i = 0; i < Math.max(1, warmup / batch); i++) {
      detector.detectAll(images);
    }
    long[] latency = new long[runs];
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      detector.detectAll(images);
      latency[i] = System.nanoTime() - t0;
    }
    long wall = System.nanoTime() - start;
    Arrays.sort(latency);
    out.printf(Locale.ROOT, "model %s on %s, image %s, detectAll of %d images (max batch %d), %d calls%n",
        detector.modelInfo().name(), detector.modelInfo().executionProvider(), image.getFileName(), batch, maxBatch,
        runs);
    out.printf(Locale.ROOT, "throughput: %.2f images/s, call p50 %.1f ms, p99 %.1f ms%n",
        (double) runs * batch / (wall / 1e9), pct(latency, 0.50) / 1e6, pct(latency, 0.99) / 1e6);
    out.flush();
    return 0;
  }

  /** {@code clients} threads share the detector until {@code runs} calls are done. */
  private int concurrent(OnnxDetector detector, java.util.function.Supplier<DetectionResult> call, BufferedImage img,
      PrintWriter out) {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
    try {
      java.util.List<java.util.concurrent.Future<?>> warm = new java.util.ArrayList<>();
      for (int c = 0; c < clients; c++) {
        warm.add(pool.submit(() -> {
          for (int i = 0; i < Math.max(1, warmup / clients); i++) {
            call.get();
          }
        }));
      }
      await(warm);
      java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(runs);
      long[] latency = new long[runs];
      java.util.concurrent.atomic.AtomicInteger slot = new java.util.concurrent.atomic.AtomicInteger();
      java.util.List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        work.add(pool.submit(() -> {
          while (left.getAndDecrement() > 0) {
            long t0 = System.nanoTime();
            call.get();
            latency[slot.getAndIncrement()] = System.nanoTime() - t0;
          }
        }));
      }
      await(work);
      long wall = System.nanoTime() - start;
      long[] sorted = latency.clone();
      Arrays.sort(sorted);
      out.printf(Locale.ROOT, "model %s on %s, image %s%s, %d clients, %d calls, %d concurrent runs%n",
          detector.modelInfo().name(), detector.modelInfo().executionProvider(), image.getFileName(),
          decode ? " (decoded in every call)" : "", clients, runs, detector.maxConcurrentRuns());
      out.printf(Locale.ROOT, "throughput: %.2f images/s, latency p50 %.1f ms, p99 %.1f ms, peak RSS %s%n",
          runs / (wall / 1e9), pct(sorted, 0.50) / 1e6, pct(sorted, 0.99) / 1e6, peakRss());
      out.flush();
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(java.util.List<java.util.concurrent.Future<?>> futures) {
    for (java.util.concurrent.Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
      }
    }
  }

  /** The process's peak resident memory (Linux VmHWM), or "n/a". */
  private static String peakRss() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return (kb / 1024) + " MB";
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      // not Linux: no figure
    }
    return "n/a";
  }

  private static void row(PrintWriter out, String name, StageTimings[] t, ToLongFunction<StageTimings> f) {
    long[] v = Arrays.stream(t).mapToLong(f).sorted().toArray();
    double mean = Arrays.stream(v).average().orElse(0);
    out.printf(Locale.ROOT, "%-12s %9.3f %9.3f %9.3f%n", name, pct(v, 0.50) / 1e6, pct(v, 0.95) / 1e6, mean / 1e6);
  }

  private static byte[] readBytes(Path file) {
    try {
      return java.nio.file.Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new io.github.keydet.api.InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static long pct(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
