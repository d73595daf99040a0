package io.github.keydet.server;

import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.onnx.ExecutionProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of a {@link DetectionServer}. Built with {@link #builder()}; {@code setModel} is required.
 *
 * @param host the address to listen on (default {@code 0.0.0.0}; tests use {@code 127.0.0.1})
 * @param port the TCP port; 0 picks a free one ({@link DetectionServer#port()} says which)
 * @param model the model to serve
 * @param provider the execution provider (default auto: CUDA when an NVIDIA driver is present)
 * @param intraOpThreads ONNX Runtime intra-op threads per run (default 1: one core per run and as many concurrent
 *     runs as cores, which served 28.5 against 19.4 images/s at 16 clients on 2 cores with the bundled model; 0:
 *     elastic runs, all cores for a lone request and one core per run while requests overlap)
 * @param maxConcurrency detections in progress at once (0: automatic, twice the detector's concurrent runs, so
 *     one request's image decoding and post-processing overlap another's network run)
 * @param maxQueue requests admitted and waiting for one of the {@code maxConcurrency} slots; beyond them a
 *     request is answered 503 with {@code Retry-After} at once
 * @param maxBodyBytes the largest request body (413 above it)
 * @param maxPixels the largest decoded image, width x height (413 above it, read from the image header)
 * @param maxBatchImages the most images in one {@code /v1/detect/batch} request (413 above it)
 * @param requestTimeout the longest a detection request may wait and run (503 with {@code Retry-After} after it)
 * @param shutdownTimeout how long {@link DetectionServer#close()} waits for requests in progress
 * @param defaults the options a request gets when it gives none
 * @param maxVariants distinct flip / scales combinations kept loaded at once (each is its own ONNX session)
 * @param dextrModel a DEXTR model that gives ExtremeNet detections instance masks, or {@code null} for none
 */
public record ServerConfig(
    String host,
    int port,
    ModelChoice model,
    ExecutionProvider provider,
    int intraOpThreads,
    int maxConcurrency,
    int maxQueue,
    long maxBodyBytes,
    long maxPixels,
    int maxBatchImages,
    Duration requestTimeout,
    Duration shutdownTimeout,
    RequestOptions defaults,
    int maxVariants,
    Path dextrModel) {

  /** A builder with the defaults of {@code keydet serve}. Not thread-safe. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ServerConfig}; validation happens in {@link #build()}. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 8080;
    private ModelChoice model;
    private ExecutionProvider provider = ExecutionProvider.auto();
    private int intraOpThreads = 1;
    private int maxConcurrency;
    private int maxQueue = 32;
    private long maxBodyBytes = 10L << 20;
    private long maxPixels = 25_000_000L;
    private int maxBatchImages = 16;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private float threshold = 0.3f;
    private int maxDetections = 100;
    private int maxVariants = 4;
    private Path dextrModel;

    private Builder() {}

    /** Required: the model to serve. */
    public Builder setModel(ModelChoice v) {
      this.model = v;
      return this;
    }

    public Builder optHost(String v) {
      this.host = v;
      return this;
    }

    public Builder optPort(int v) {
      this.port = v;
      return this;
    }

    public Builder optProvider(ExecutionProvider v) {
      this.provider = InvalidConfigException.requireOption(v, "optProvider");
      return this;
    }

    public Builder optIntraOpThreads(int v) {
      this.intraOpThreads = v;
      return this;
    }

    public Builder optMaxConcurrency(int v) {
      this.maxConcurrency = v;
      return this;
    }

    public Builder optMaxQueue(int v) {
      this.maxQueue = v;
      return this;
    }

    public Builder optMaxBodyBytes(long v) {
      this.maxBodyBytes = v;
      return this;
    }

    public Builder optMaxPixels(long v) {
      this.maxPixels = v;
      return this;
    }

    public Builder optMaxBatchImages(int v) {
      this.maxBatchImages = v;
      return this;
    }

    public Builder optRequestTimeout(Duration v) {
      this.requestTimeout = InvalidConfigException.requireOption(v, "optRequestTimeout");
      return this;
    }

    public Builder optShutdownTimeout(Duration v) {
      this.shutdownTimeout = InvalidConfigException.requireOption(v, "optShutdownTimeout");
      return this;
    }

    /** The default score threshold of a request (default 0.3, as {@code keydet detect}). */
    public Builder optThreshold(float v) {
      this.threshold = v;
      return this;
    }

    /** The default and largest {@code maxDetections} of a request (default 100). */
    public Builder optMaxDetections(int v) {
      this.maxDetections = v;
      return this;
    }

    public Builder optMaxVariants(int v) {
      this.maxVariants = v;
      return this;
    }

    /** Optional: a DEXTR model (as {@code keydet detect --dextr}): ExtremeNet detections get instance masks. */
    public Builder optDextrModel(Path v) {
      this.dextrModel = v;
      return this;
    }

    /** The config; {@link InvalidConfigException} naming the first setting out of range. */
    public ServerConfig build() {
      if (model == null) {
        throw new InvalidConfigException("no model: call setModel(ModelChoice.parse(...))");
      }
      check(port >= 0 && port <= 65535, "port must be in [0, 65535], got " + port);
      check(intraOpThreads >= 0, "intra-op threads must be >= 0, got " + intraOpThreads);
      check(maxConcurrency >= 0, "max concurrency must be >= 0 (0 = automatic), got " + maxConcurrency);
      check(maxQueue >= 0, "max queue must be >= 0, got " + maxQueue);
      check(maxBodyBytes > 0, "max body bytes must be > 0, got " + maxBodyBytes);
      check(maxBatchImages > 0, "max batch images must be > 0, got " + maxBatchImages);
      check(!requestTimeout.isNegative() && !requestTimeout.isZero(), "request timeout must be > 0, got "
          + requestTimeout);
      check(!shutdownTimeout.isNegative(), "shutdown timeout must be >= 0, got " + shutdownTimeout);
      check(threshold >= 0 && threshold <= 1, "threshold must be in [0, 1], got " + threshold);
      check(maxDetections > 0, "max detections must be > 0, got " + maxDetections);
      check(maxVariants > 0, "max variants must be > 0, got " + maxVariants);
      ImageLoader.builder().optMaxPixels(maxPixels).build(); // validates the pixel limit
      return new ServerConfig(host, port, model, provider, intraOpThreads, maxConcurrency, maxQueue, maxBodyBytes,
          maxPixels, maxBatchImages, requestTimeout, shutdownTimeout,
          new RequestOptions(threshold, maxDetections, false, List.of(1.0)), maxVariants, dextrModel);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new InvalidConfigException(message);
      }
    }
  }
}
