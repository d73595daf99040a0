package io.github.keydet.server;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.onnx.OnnxDetector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The served model as detectors: the plain one (no flip test, scale 1), loaded by the constructor, and the flip /
 * multi-scale variants requests ask for, each loaded on first use and kept (at most {@code maxVariants} in all,
 * the plain one included; each is its own ONNX Runtime session). Thread-safe; owns the detectors and closes them.
 *
 * <p>Every detector runs with score threshold {@link #minThreshold()} (0; with a DEXTR segmenter the server's
 * default threshold, so that masks are only computed for detections a request can get) and the server's {@code
 * maxDetections} cap; a request's own
 * threshold and cap are applied to its result ({@link DetectionJson#select}). That gives exactly what a detector
 * built with the request's threshold and cap returns: the post-processor keeps scores at or above the threshold,
 * sorts them, runs greedy NMS (a box is only ever suppressed by a higher-scored one) and caps, so the detections
 * at or above a higher threshold are a prefix of the low-threshold list, unchanged.
 */
public final class ModelVariants implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelVariants.class);

  private final ServerConfig config;
  private final OnnxDetector plain;
  private final Map<Variant, OnnxDetector> variants = new LinkedHashMap<>();
  private boolean closed;

  /** A flip-test / scales combination. */
  record Variant(boolean flip, List<Double> scales) {
    @Override
    public String toString() {
      return "flip=" + flip + " scales=" + scales;
    }
  }

  /** Loads the plain detector of the configured model (seconds for a large model). */
  public ModelVariants(ServerConfig config) {
    this.config = config;
    this.plain = load(new Variant(false, List.of(1.0)));
    variants.put(new Variant(false, List.of(1.0)), plain);
  }

  /** The served model's name (the bundled name, or the file as given). */
  public String name() {
    return config.model().name();
  }

  /**
   * The lowest threshold a request may ask for: 0, or with a segmenter the server's default threshold (masks
   * cost a network run per detection).
   */
  public float minThreshold() {
    return config.dextrModel() == null ? 0f : config.defaults().threshold();
  }

  /** The plain detector (no flip test, one scale). */
  public OnnxDetector plain() {
    return plain;
  }

  /** The detector for the request's flip test and scales, loaded on first use. */
  public OnnxDetector get(RequestOptions options) {
    Variant key = new Variant(options.flip(), options.scales());
    synchronized (variants) {
      if (closed) {
        throw ApiException.unavailable("shutting_down", "the server is shutting down", 1);
      }
      OnnxDetector d = variants.get(key);
      if (d != null) {
        return d;
      }
      if (variants.size() >= config.maxVariants()) {
        throw ApiException.badRequest("too_many_variants", "this server keeps at most " + config.maxVariants()
            + " flip/scales combinations loaded (--max-variants) and has " + new ArrayList<>(variants.keySet())
            + "; ask for one of those, or start it with a larger --max-variants");
      }
      try {
        d = load(key);
      } catch (InvalidConfigException e) {
        throw ApiException.badRequest("invalid_option", e.getMessage());
      }
      variants.put(key, d);
      LOG.info("loaded model variant {} ({} of at most {})", key, variants.size(), config.maxVariants());
      return d;
    }
  }

  /** The loaded combinations, the plain one first. */
  public List<String> loaded() {
    synchronized (variants) {
      return variants.keySet().stream().map(Variant::toString).toList();
    }
  }

  private OnnxDetector load(Variant v) {
    OnnxDetector.Builder b = config.model().builder();
    if (config.dextrModel() != null) {
      b.optDextrModel(config.dextrModel()); // each variant owns its segmenter
    }
    return b
        .optProvider(config.provider())
        .optIntraOpThreads(config.intraOpThreads())
        .optFlipTest(v.flip())
        .optScales(v.scales())
        .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(minThreshold())
            .withMaxDetections(config.defaults().maxDetections()))
        .build();
  }

  /** Closes every detector (each waits for its calls in progress). Idempotent. */
  @Override
  public void close() {
    synchronized (variants) {
      closed = true;
      variants.values().forEach(OnnxDetector::close);
    }
  }
}
