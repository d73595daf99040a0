package io.github.keydet.server;

import io.github.keydet.api.StageTimings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * The service's Micrometer meters, in a Prometheus registry whose text format {@code GET /metrics} returns:
 * {@code keydet_http_requests_seconds} (per endpoint and status), {@code keydet_stage_seconds} (per detection
 * stage), {@code keydet_images_total} (per outcome), {@code keydet_admission_in_system} / {@code _running} (slots
 * taken), {@code keydet_admission_rejected_total} (503 because full), and the JVM's memory, GC, thread and CPU
 * meters. Thread-safe; {@link #close()} releases the GC listener.
 */
public final class ServerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Timer preprocess;
  private final Timer inference;
  private final Timer decode;
  private final Timer postprocess;
  private final Timer imageDecode;

  /** Registers the JVM and stage meters. */
  public ServerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gc.bindTo(registry);
    preprocess = stage("preprocess");
    inference = stage("inference");
    decode = stage("decode");
    postprocess = stage("postprocess");
    imageDecode = stage("image_decode");
  }

  /** Registers the admission meters, read from it when scraped (once the model is loaded). */
  public void bind(Admission admission) {
    Gauge.builder("keydet.admission.in_system", admission, Admission::inSystem)
        .description("requests holding a detection slot (working or waiting)").register(registry);
    Gauge.builder("keydet.admission.running", admission, Admission::running)
        .description("requests whose detection is running").register(registry);
    Gauge.builder("keydet.admission.limit", admission, a -> a.concurrency() + a.queue())
        .description("slots: max concurrency + max queue").register(registry);
    FunctionCounter.builder("keydet.admission.rejected", admission, Admission::rejected)
        .description("requests refused with 503 because every slot was taken").register(registry);
  }

  private Timer stage(String name) {
    return Timer.builder("keydet.stage").tag("stage", name).description("time per detection stage")
        .register(registry);
  }

  /** Records one finished request. */
  public void request(String endpoint, int status, long nanos) {
    Timer.builder("keydet.http.requests").tag("endpoint", endpoint).tag("status", Integer.toString(status))
        .description("HTTP requests by endpoint and status").register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records one image's stages. */
  public void image(long imageDecodeNanos, StageTimings t) {
    imageDecode.record(imageDecodeNanos, TimeUnit.NANOSECONDS);
    preprocess.record(t.preprocessNanos(), TimeUnit.NANOSECONDS);
    inference.record(t.inferenceNanos(), TimeUnit.NANOSECONDS);
    decode.record(t.decodeNanos(), TimeUnit.NANOSECONDS);
    postprocess.record(t.postprocessNanos(), TimeUnit.NANOSECONDS);
  }

  /** Counts one image by outcome ({@code ok} or an error code). */
  public void imageOutcome(String outcome) {
    Counter.builder("keydet.images").tag("outcome", outcome).description("images by outcome")
        .register(registry).increment();
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
