package io.github.keydet.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelInfo;
import io.github.keydet.onnx.OnnxDetector;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP detection service: a Javalin (Jetty 12) application around one served model. Endpoints (see the README's
 * "HTTP service" section): {@code POST /v1/detect}, {@code POST /v1/detect/batch}, {@code GET /v1/models}, {@code GET
 * /health} (the process answers), {@code GET /ready} (the model is loaded and the server not stopping), {@code
 * GET /metrics} (Prometheus text).
 *
 * <p>{@link #start(ServerConfig)} binds the port, then loads the model (so {@code /health} answers while it
 * loads and {@code /ready} says 503 until it is done) and returns once it is ready. Errors are JSON {@code
 * {"error": {"status", "code", "message"}}}: bad input is a 4xx naming the problem, a full or stopping server a 503
 * with {@code Retry-After}; only a fault of the server itself is a 500 (and logged as an error). {@link #close()}
 * shuts down gracefully: new detection requests get 503, those in progress finish (up to the shutdown timeout),
 * then the port is closed and the model released.
 */
public final class DetectionServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DetectionServer.class);

  private enum State { LOADING, READY, STOPPING, STOPPED }

  /** Jetty's request threads at most (the detection work runs on {@link Admission}'s own threads). */
  static final int HTTP_THREADS = 200;

  /** The method each endpoint takes, for a 405's {@code Allow} header. */
  private static final Map<String, String> ALLOWED = Map.of("/v1/detect", "POST", "/v1/detect/batch", "POST",
      "/v1/models", "GET", "/health", "GET", "/ready", "GET", "/metrics", "GET");

  private final ServerConfig config;
  private final Javalin app;
  private final ServerMetrics metrics = new ServerMetrics();
  private volatile State state = State.LOADING;
  private volatile ModelVariants models;
  private volatile Admission admission;
  private volatile DetectHandler handler;

  private DetectionServer(ServerConfig config) {
    this.config = config;
    ObjectMapper json = new ObjectMapper();
    this.app = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.startup.showOldJavalinVersionWarning = false;
      c.jsonMapper(new JavalinJackson(json, false));
      c.http.maxRequestSize = config.maxBodyBytes();
      c.http.prefer405over404 = true;
      c.jetty.host = config.host();
      c.jetty.port = config.port();
      // Jetty's request threads, bounded (Javalin's default is too, but unnamed here): requests beyond the detection
      // slots are answered 503 at once, so these threads only wait for the slots' work
      QueuedThreadPool http = new QueuedThreadPool(HTTP_THREADS, 8, 60_000);
      http.setName("keydet-http");
      c.jetty.threadPool = http;
      c.jetty.multipartConfig.maxTotalRequestSize(config.maxBodyBytes(), SizeUnit.BYTES);
      c.jetty.multipartConfig.maxFileSize(config.maxBodyBytes(), SizeUnit.BYTES);
      c.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
      c.jetty.modifyServer(server -> {
        // Jetty waits for requests in progress on stop (Javalin attaches its handler inside this wrapper)
        server.setHandler(new GracefulHandler());
        server.setStopTimeout(Math.max(1, config.shutdownTimeout().toMillis()));
      });
      c.routes.post("/v1/detect", ctx -> timed(ctx, "detect", () -> ctx.json(handler().detect(ctx))));
      c.routes.post("/v1/detect/batch", ctx -> timed(ctx, "batch", () -> ctx.json(handler().batch(ctx))));
      c.routes.get("/v1/models", ctx -> timed(ctx, "models", () -> ctx.json(models())));
      c.routes.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
      c.routes.get("/ready", this::ready);
      c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(metrics.scrape()));
      c.routes.exception(Exception.class, this::error);
      c.routes.error(404, ctx -> {
        if (ctx.result() == null || !ctx.result().startsWith("{\"error\"")) {
          errorBody(ctx, new ApiException(404, "not_found", "no endpoint " + ctx.method() + " " + ctx.path()
              + "; endpoints: POST /v1/detect, POST /v1/detect/batch, GET /v1/models, /health, /ready, /metrics",
              0));
        }
      });
      c.routes.error(405, ctx -> {
        String allowed = ALLOWED.getOrDefault(ctx.path(), "");
        ctx.header("Allow", allowed);
        errorBody(ctx, new ApiException(405, "method_not_allowed",
            "method " + ctx.method() + " is not allowed on " + ctx.path() + "; use " + allowed, 0));
      });
    });
  }

  /**
   * Starts a server: binds the port, loads the model, and returns once it serves detections.
   *
   * @throws io.github.keydet.api.ModelLoadException when the model cannot be loaded (the port is closed again)
   */
  public static DetectionServer start(ServerConfig config) {
    DetectionServer server = new DetectionServer(config);
    server.app.start();
    try {
      server.load();
    } catch (RuntimeException e) {
      server.app.stop();
      throw e;
    }
    return server;
  }

  private void load() {
    long t0 = System.nanoTime();
    ModelVariants loaded = new ModelVariants(config);
    OnnxDetector plain = loaded.plain();
    int concurrency = config.maxConcurrency() > 0 ? config.maxConcurrency() : 2 * plain.maxConcurrentRuns();
    Admission a = new Admission(concurrency, config.maxQueue());
    metrics.bind(a);
    this.models = loaded;
    this.admission = a;
    this.handler = new DetectHandler(config, loaded, a, metrics);
    this.state = State.READY;
    ModelInfo info = plain.modelInfo();
    LOG.info("serving {} ({}, {}) on http://{}:{} in {} ms: {} detections at once, {} waiting at most",
        config.model().name(), info.family(), info.executionProvider(), config.host(), port(),
        (System.nanoTime() - t0) / 1_000_000, concurrency, config.maxQueue());
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /** Whether the model is loaded and the server not stopping. */
  public boolean isReady() {
    return state == State.READY;
  }

  /** The admission control (for tests and metrics). */
  Admission admission() {
    return admission;
  }

  private DetectHandler handler() {
    State s = state;
    if (s != State.READY) {
      throw ApiException.unavailable(s == State.LOADING ? "not_ready" : "shutting_down",
          s == State.LOADING ? "the model is still loading" : "the server is shutting down", s == State.LOADING
              ? 2 : 5);
    }
    return handler;
  }

  private void ready(Context ctx) {
    boolean ready = isReady();
    ctx.status(ready ? 200 : 503).json(Map.of("ready", ready, "state", state.name()));
  }

  private Map<String, Object> models() {
    handler();
    OnnxDetector plain = models.plain();
    ModelInfo info = plain.modelInfo();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", config.model().name());
    m.put("file", info.name());
    m.put("family", info.family().name());
    m.put("inputWidth", info.inputWidth());
    m.put("inputHeight", info.inputHeight());
    m.put("labels", info.labels());
    m.put("executionProvider", info.executionProvider());
    m.put("maxConcurrentRuns", plain.maxConcurrentRuns());
    m.put("spec", plain.spec().toMetadata());
    m.put("defaults", config.defaults());
    m.put("loadedVariants", models.loaded());
    m.put("segmenter", config.dextrModel() == null ? null : config.dextrModel().toString());
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("maxConcurrency", admission.concurrency());
    limits.put("maxQueue", admission.queue());
    limits.put("maxBodyBytes", config.maxBodyBytes());
    limits.put("maxPixels", config.maxPixels());
    limits.put("maxBatchImages", config.maxBatchImages());
    limits.put("maxDetections", config.defaults().maxDetections());
    limits.put("requestTimeoutMs", config.requestTimeout().toMillis());
    limits.put("maxVariants", config.maxVariants());
    return Map.of("models", List.of(m), "limits", limits);
  }

  /** Work that may throw, for the timing wrapper. */
  private interface Action {
    void run() throws Exception;
  }

  private void timed(Context ctx, String endpoint, Action action) throws Exception {
    long t0 = System.nanoTime();
    try {
      action.run();
    } catch (Exception e) {
      error(e, ctx);
    }
    metrics.request(endpoint, ctx.statusCode(), System.nanoTime() - t0);
  }

  private void error(Exception e, Context ctx) {
    ApiException api;
    if (e instanceof ApiException a) {
      api = a;
    } else if (e instanceof InvalidInputException) {
      api = ApiException.badRequest("invalid_input", e.getMessage());
    } else if (e instanceof InvalidConfigException) {
      api = ApiException.badRequest("invalid_option", e.getMessage());
    } else if (e instanceof HttpResponseException h) {
      api = new ApiException(h.getStatus(), "http_" + h.getStatus(), h.getMessage(), 0);
    } else {
      LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
      api = new ApiException(500, "internal", "internal error: " + e, 0);
    }
    errorBody(ctx, api);
  }

  private static final String MALFORMED_MULTIPART = "malformed_multipart";

  private void errorBody(Context ctx, ApiException e) {
    // refused before its body was read (full, wrong type or method): drop the body, or close when it is too large.
    // A multipart body the parser gave up on is in an unknown state: the connection is not reused (without the
    // header a client may send its next request on a connection the server is closing, and lose the answer).
    // Its unread rest is still drained first: closing a socket with unread input resets it, and the client can
    // lose this very answer (seen in CI as "header parser received no bytes" after the no-boundary request).
    boolean drained = ctx.method() != HandlerType.POST || RequestBodies.discardUnread(ctx, config.maxBodyBytes());
    if (!drained || MALFORMED_MULTIPART.equals(e.code())) {
      ctx.header("Connection", "close");
    }
    if (e.retryAfterSeconds() > 0) {
      ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
    }
    ctx.status(e.status()).json(new DetectionJson.ErrorBody(
        new DetectionJson.Error(e.status(), e.code(), e.getMessage())));
  }

  /**
   * Stops gracefully: new detection requests get 503 {@code shutting_down}, the ones in progress finish (up to
   * the shutdown timeout), then the port is closed and the model released. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (state == State.STOPPING || state == State.STOPPED) {
        return;
      }
      state = State.STOPPING;
    }
    long t0 = System.nanoTime();
    Admission a = admission;
    try {
      if (a != null && !a.awaitIdle(config.shutdownTimeout().toMillis())) {
        LOG.warn("shutdown: {} requests still in progress after {} ms; stopping anyway", a.inSystem(),
            config.shutdownTimeout().toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    app.stop();
    if (a != null) {
      a.close();
    }
    if (models != null) {
      models.close();
    }
    metrics.close();
    state = State.STOPPED;
    LOG.info("stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }
}
