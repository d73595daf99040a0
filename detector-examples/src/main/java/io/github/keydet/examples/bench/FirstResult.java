package io.github.keydet.examples.bench;

import ai.onnxruntime.OrtEnvironment;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.StageTimings;
import io.github.keydet.api.ImageLoader;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.NativeLibraryCache;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the time to the first result goes inside one fresh JVM, as a library user meets it: the JVM's own start
 * (to {@code main}), reading the image, ONNX Runtime's environment (native library load), building the detector
 * with the bundled COCO model, and the first {@code detect}. One run per JVM: repeat the command to get a spread
 * (e.g. with {@code farm-bench}).
 *
 * <p>Run from the repository root: {@code java -cp detector-examples/target/keydet.jar
 * io.github.keydet.examples.bench.FirstResult [IMAGE] [OPTIMIZED_MODEL_CACHE_DIR [native-cache]]}; with a cache
 * folder the build uses ONNX Runtime's optimised-model cache there ({@code OnnxDetector.Builder.optOptimizedModelCache});
 * with {@code native-cache} also ONNX Runtime's native libraries unpacked once into its {@code natives} subfolder
 * ({@link NativeLibraryCache}, timed as part of the environment).
 */
public final class FirstResult {
  private FirstResult() {}

  public static void main(String[] args) {
    long mainNanos = System.nanoTime();
    long jvmStartToMain = ManagementFactory.getRuntimeMXBean().getUptime();
    Path image = Path.of(args.length > 0 ? args[0] : "detector-examples/samples/astronaut.png");
    long t0 = System.nanoTime();
    BufferedImage picture = ImageLoader.defaults().read(image);
    long t1 = System.nanoTime();
    if (args.length > 2 && args[2].equals("native-cache")) {
      NativeLibraryCache.install(Path.of(args[1]).resolve("natives"), ExecutionProvider.cpu());
    }
    OrtEnvironment.getEnvironment();
    long t2 = System.nanoTime();
    OnnxDetector.Builder b = OnnxDetector.builder().setModel(BundledModels.COCO.bytes(), BundledModels.COCO.fileName())
        .optProvider(ExecutionProvider.cpu());
    if (args.length > 1) {
      b.optOptimizedModelCache(Path.of(args[1]));
    }
    try (OnnxDetector detector = b.build()) {
      long t3 = System.nanoTime();
      DetectionResult r = detector.detect(picture);
      long t4 = System.nanoTime();
      System.out.printf(Locale.ROOT, "JVM start to main %d ms; read image %.0f ms; ORT environment %.0f ms;"
          + " build detector %.0f ms; first detect %.0f ms (%d detections); build + first detection %.0f ms;"
          + " main to result %.0f ms%n", jvmStartToMain, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6,
          (t4 - t3) / 1e6, r.detections().size(), (t4 - t1) / 1e6, (t4 - mainNanos) / 1e6);
      long t5 = System.nanoTime();
      detector.detect(picture);
      System.out.printf(Locale.ROOT, "second detect %.0f ms%n", (System.nanoTime() - t5) / 1e6);
      StageTimings s = r.timings();
      System.out.printf(Locale.ROOT, "first detect by stage: preprocess %.1f ms, network %.1f ms, decode %.1f ms,"
          + " postprocess %.1f ms%n", s.preprocessNanos() / 1e6, s.inferenceNanos() / 1e6, s.decodeNanos() / 1e6,
          s.postprocessNanos() / 1e6);
    }
  }
}
