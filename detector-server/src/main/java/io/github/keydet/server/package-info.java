/**
 * {@code keydet serve}: an HTTP detection service around one shared {@link io.github.keydet.api.Detector}.
 *
 * <p>{@link io.github.keydet.server.DetectionServer} is the Javalin application (endpoints {@code POST
 * /v1/detect}, {@code POST /v1/detect/batch}, {@code GET /v1/models}, {@code /health}, {@code /ready}, {@code
 * /metrics}); {@link io.github.keydet.server.Admission} bounds the work in progress (a concurrency limit and a
 * bounded queue, 503 with {@code Retry-After} beyond them, a per-request deadline); {@link
 * io.github.keydet.server.ModelVariants} holds the loaded detector and the few flip-test / multi-scale variants
 * requests ask for; {@link io.github.keydet.server.RequestOptions} parses the per-request options. Detections in
 * responses are in image pixels of the uploaded image, boxes (x1, y1, x2, y2). See the README, section "HTTP service".
 */
package io.github.keydet.server;
