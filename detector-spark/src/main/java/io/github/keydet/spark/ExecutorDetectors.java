package io.github.keydet.spark;

import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.models.BundledModel;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.OnnxDetector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.SparkFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detectors of this JVM, one per distinct {@link DetectionOptions}: created on first use by the first task
 * that needs it (other tasks wanting the same one wait for it), then shared by every task and partition that runs
 * in this JVM, a Spark executor or, with a {@code local[N]} master, the driver. Detectors are never serialised:
 * tasks carry only the options. A JVM shutdown hook, registered with the first detector, closes them all; {@link
 * #closeAll()} does it earlier (the {@code keydet spark} command calls it when its job ends).
 *
 * <p>A model that cannot be loaded throws {@link ModelLoadException} in the task, which fails the job: a bad
 * model is no per-image failure.
 */
public final class ExecutorDetectors {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorDetectors.class);
  private static final String CLASSPATH = "classpath:";
  private static final Map<DetectionOptions, OnnxDetector> DETECTORS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();
  private static final AtomicBoolean HOOK = new AtomicBoolean();

  private ExecutorDetectors() {}

  /** This JVM's detector for {@code options}, loaded now if it is the first call with them. */
  public static OnnxDetector get(DetectionOptions options) {
    return DETECTORS.computeIfAbsent(options, ExecutorDetectors::load);
  }

  /** Closes and forgets every detector of this JVM; a later {@link #get} loads again. */
  public static void closeAll() {
    List<OnnxDetector> open = new ArrayList<>(DETECTORS.values());
    DETECTORS.clear();
    for (OnnxDetector d : open) {
      try {
        d.close();
      } catch (RuntimeException e) {
        LOG.warn("closing detector {} failed: {}", d.modelInfo().name(), e.toString());
      }
    }
  }

  /** How many detectors this JVM has loaded so far (for tests: one per options value, not one per partition). */
  static int loadCount() {
    return LOADS.get();
  }

  private static OnnxDetector load(DetectionOptions o) {
    if (HOOK.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(ExecutorDetectors::closeAll, "keydet-close-detectors"));
    }
    long start = System.nanoTime();
    OnnxDetector.Builder b = builderFor(o.model())
        .optIntraOpThreads(o.intraOpThreads())
        .optFlipTest(o.flipTest())
        .optImageLoader(ImageLoader.builder().optMaxPixels(o.maxPixels()).build())
        .optDecodeOptions(DecodeOptions.defaults().withK(100))
        .optPostprocess(PostprocessConfig.defaults()
            .withScoreThreshold(o.scoreThreshold())
            .withNmsIouThreshold(o.nmsIou())
            .withMaxDetections(o.maxDetections()));
    OnnxDetector detector = b.build();
    LOADS.incrementAndGet();
    LOG.info("loaded detector {} ({}) on {} in {} ms", detector.modelInfo().name(), detector.modelInfo().family(),
        detector.modelInfo().executionProvider(), (System.nanoTime() - start) / 1_000_000);
    return detector;
  }

  /** A detector builder with the model {@code model} names set; see {@link DetectionOptions} for the order. */
  static OnnxDetector.Builder builderFor(String model) {
    if (model == null || model.isBlank()) {
      BundledModel m = BundledModels.defaultModel();
      return BundledModels.builder(m.name());
    }
    if (model.startsWith(CLASSPATH)) {
      String resource = model.substring(CLASSPATH.length()).replaceFirst("^/+", "");
      return OnnxDetector.builder().setModel(readResource(resource, model), resource);
    }
    Path file = Path.of(model);
    if (Files.isRegularFile(file)) {
      return OnnxDetector.builder().setModel(file);
    }
    Optional<BundledModel> bundled = BundledModels.find(model);
    if (bundled.isPresent()) {
      return BundledModels.builder(bundled.get().name());
    }
    Optional<Path> shipped = sparkFile(file.getFileName() == null ? model : file.getFileName().toString());
    if (shipped.isPresent()) {
      return OnnxDetector.builder().setModel(shipped.get());
    }
    throw new ModelLoadException("model " + model + ": no such file here or among the files shipped with"
        + " spark-submit --files, and no bundled model of that name (bundled: "
        + BundledModels.list().stream().map(BundledModel::name).collect(Collectors.joining(", "))
        + "; a model inside a jar is classpath:RESOURCE)");
  }

  private static byte[] readResource(String resource, String model) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ExecutorDetectors.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ModelLoadException("model " + model + ": no resource " + resource + " on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ModelLoadException("model " + model + ": cannot read resource " + resource + ": " + e.getMessage(), e);
    }
  }

  /** A file shipped with {@code spark-submit --files}, when this JVM runs inside Spark and has it. */
  private static Optional<Path> sparkFile(String name) {
    try {
      Path p = Path.of(SparkFiles.get(name));
      return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    } catch (RuntimeException | LinkageError e) { // not inside Spark (no SparkEnv), or Spark not on the class path
      return Optional.empty();
    }
  }
}
