package io.github.keydet.server;

import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.ImageTooLargeException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.onnx.OnnxDetector;
import io.javalin.http.Context;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/detect} and {@code POST /v1/detect/batch}: admission ({@link Admission#enter()}, before the
 * body is read), the body ({@link RequestBodies}), the options ({@link RequestOptions}), then on a worker the
 * image decoding (the server's {@link ImageLoader}, its pixel limit a 413) and the detection. A batch answers
 * 200 with one entry per image, a failed image carrying its error instead of a result.
 */
final class DetectHandler {
  private final ServerConfig config;
  private final ModelVariants models;
  private final Admission admission;
  private final ServerMetrics metrics;
  private final ImageLoader loader;

  DetectHandler(ServerConfig config, ModelVariants models, Admission admission, ServerMetrics metrics) {
    this.config = config;
    this.models = models;
    this.admission = admission;
    this.metrics = metrics;
    this.loader = ImageLoader.builder().optMaxPixels(config.maxPixels()).build();
  }

  /** One image: the result JSON, or an {@link ApiException}. */
  DetectionJson.Result detect(Context ctx) throws Exception {
    long start = System.nanoTime();
    long deadline = start + config.requestTimeout().toNanos();
    try (Admission.Ticket ticket = admission.enter()) {
      RequestBodies.Body body = RequestBodies.read(ctx, config.maxBodyBytes(), 1);
      RequestOptions options = options(ctx, body);
      long queued = System.nanoTime();
      return ticket.run(() -> {
        OnnxDetector detector = models.get(options);
        return detectOne(detector, body.images().get(0), options, queued, start);
      }, deadline);
    }
  }

  /** Several images: per-image results or errors, in request order. */
  DetectionJson.Batch batch(Context ctx) throws Exception {
    long start = System.nanoTime();
    long deadline = start + config.requestTimeout().toNanos();
    try (Admission.Ticket ticket = admission.enter()) {
      RequestBodies.Body body = RequestBodies.read(ctx, config.maxBodyBytes(), config.maxBatchImages());
      RequestOptions options = options(ctx, body);
      long queued = System.nanoTime();
      return ticket.run(() -> {
        OnnxDetector detector = models.get(options);
        List<DetectionJson.BatchItem> items = new ArrayList<>();
        for (int i = 0; i < body.images().size(); i++) {
          RequestBodies.Part part = body.images().get(i);
          try {
            long imageStart = i == 0 ? queued : System.nanoTime();
            items.add(new DetectionJson.BatchItem(i, part.fileName(),
                detectOne(detector, part, options, imageStart, imageStart), null));
          } catch (ApiException e) {
            items.add(new DetectionJson.BatchItem(i, part.fileName(), null,
                new DetectionJson.Error(e.status(), e.code(), e.getMessage())));
          } catch (InvalidInputException e) {
            items.add(new DetectionJson.BatchItem(i, part.fileName(), null,
                new DetectionJson.Error(400, "invalid_input", e.getMessage())));
          }
        }
        return new DetectionJson.Batch(models.name(), items);
      }, deadline);
    }
  }

  private RequestOptions options(Context ctx, RequestBodies.Body body) {
    RequestOptions o = RequestOptions.parse(ctx.queryParamMap(), body.optionsJson(), config.defaults(),
        config.defaults().maxDetections());
    if (o.threshold() < models.minThreshold()) {
      throw ApiException.badRequest("invalid_option", "threshold " + o.threshold() + " is below "
          + models.minThreshold() + ", the lowest this server gives (with --dextr masks, its --threshold)");
    }
    return o;
  }

  private DetectionJson.Result detectOne(OnnxDetector detector, RequestBodies.Part part, RequestOptions options,
      long queuedSince, long requestStart) {
    long t0 = System.nanoTime();
    BufferedImage image = decode(part);
    long t1 = System.nanoTime();
    DetectionResult result = detector.detect(image);
    List<Detection> selected = DetectionJson.select(result.detections(), options.threshold(),
        options.maxDetections());
    metrics.image(t1 - t0, result.timings());
    metrics.imageOutcome("ok");
    return DetectionJson.result(models.name(), result, selected,
        DetectionJson.Timings.of(t0 - queuedSince, t1 - t0, result.timings(), System.nanoTime() - requestStart));
  }

  private BufferedImage decode(RequestBodies.Part part) {
    String source = part.fileName() == null ? "in the request body" : "'" + part.fileName() + "'";
    try {
      return loader.read(part.bytes(), source);
    } catch (ImageTooLargeException e) {
      ApiException api = ApiException.tooLarge("too_many_pixels", String.format(Locale.ROOT,
          "image %s is %dx%d = %d pixels, above the limit of %d pixels (the server's --max-pixels)",
          source, e.width(), e.height(), e.width() * e.height(), e.maxPixels()));
      metrics.imageOutcome(api.code());
      throw api;
    } catch (InvalidInputException e) {
      ApiException api = ApiException.badRequest("invalid_image", e.getMessage());
      metrics.imageOutcome(api.code());
      throw api;
    }
  }
}
