package io.github.keydet.server;

import static io.github.keydet.server.ServerHarness.assertError;
import static io.github.keydet.server.ServerHarness.assertSameDetections;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.OnnxDetector;
import io.github.keydet.server.ServerHarness.Part;
import io.github.keydet.server.ServerHarness.Reply;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service with the bundled COCO model and its default settings, called over loopback HTTP: its detections
 * equal {@link OnnxDetector#detect} of the same image files by a detector built independently with the same
 * settings (floats compared exactly: Jackson writes a float's shortest decimal, which reads back as the same float),
 * for raw and multipart bodies, request options and batches; the informational endpoints; and the status, code and
 * message of every kind of bad request, none of them a 500 or an ERROR in the log.
 */
class DetectionServerTest {
  private static ServerHarness h;
  private static OnnxDetector plain;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    h = ServerHarness.start(b -> b);
    plain = BundledModels.builder("coco").optPostprocess(PostprocessConfig.defaults()).build();
  }

  @AfterAll
  static void stop() {
    h.close();
    plain.close();
  }

  /** The repository's sample and pose photos, and chelsea.png re-encoded as grey PNG, JPEG, BMP and GIF. */
  static List<Path> images() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Stream.concat(Files.list(ServerHarness.SAMPLES), Files.list(ServerHarness.POSE_IMAGES))) {
      s.filter(f -> f.toString().endsWith(".png") || f.toString().endsWith(".jpg")).sorted().forEach(out::add);
    }
    BufferedImage cat = ImageIO.read(ServerHarness.SAMPLES.resolve("chelsea.png").toFile());
    BufferedImage grey = new BufferedImage(cat.getWidth(), cat.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    grey.getGraphics().drawImage(cat, 0, 0, null);
    BufferedImage rgb = new BufferedImage(cat.getWidth(), cat.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(cat, 0, 0, null);
    ImageIO.write(grey, "png", tmp.resolve("chelsea-grey.png").toFile());
    for (String format : List.of("jpg", "bmp", "gif")) {
      assertThat(ImageIO.write(rgb, format, tmp.resolve("chelsea." + format).toFile())).isTrue();
    }
    out.addAll(List.of(tmp.resolve("chelsea-grey.png"), tmp.resolve("chelsea.jpg"), tmp.resolve("chelsea.bmp"),
        tmp.resolve("chelsea.gif")));
    return out;
  }

  @Test
  void rawBodyDetectionsEqualTheInProcessDetector() throws IOException {
    List<Path> images = images();
    assertThat(images).hasSizeGreaterThanOrEqualTo(11);
    int detections = 0;
    for (Path f : images) {
      Reply r = h.post("/v1/detect", ServerHarness.contentType(f), ServerHarness.read(f));
      assertThat(r.status()).as("%s: %s", f, r.body()).isEqualTo(200);
      DetectionResult expected = plain.detect(f);
      JsonNode j = r.json();
      assertThat(j.get("model").asText()).isEqualTo("coco");
      assertThat(j.get("imageWidth").asInt()).isEqualTo(expected.imageWidth());
      assertThat(j.get("imageHeight").asInt()).isEqualTo(expected.imageHeight());
      assertSameDetections(j.get("detections"), expected.detections());
      detections += expected.detections().size();
      JsonNode t = j.get("timings");
      for (String stage : List.of("queue", "imageDecode", "preprocess", "inference", "decode", "postprocess")) {
        assertThat(t.get(stage).asDouble()).as(stage).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(
            t.get("total").asDouble());
      }
      assertThat(t.get("inference").asDouble()).isPositive();
    }
    assertThat(detections).as("detections over all images").isGreaterThanOrEqualTo(images.size());
  }

  @Test
  void multipartAndOptionsGiveWhatADetectorWithThoseSettingsGives() throws IOException {
    Path coffee = ServerHarness.SAMPLES.resolve("coffee.png");
    try (OnnxDetector low = BundledModels.builder("coco")
            .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(0.1f).withMaxDetections(3)).build();
        OnnxDetector flip = BundledModels.builder("coco").optFlipTest(true)
            .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(0.2f)).build();
        OnnxDetector scales = BundledModels.builder("coco").optScales(List.of(0.75, 1.0)).build()) {
      for (Path f : List.of(coffee)) {
        assertThat(low.detect(f).detections()).as("a cap that cuts").hasSize(3);
        Reply multi = h.multipart("/v1/detect", List.of(Part.file(f)));
        assertSameDetections(multi.json().get("detections"), plain.detect(f).detections());
        Reply query = h.post("/v1/detect?threshold=0.1&maxDetections=3", "image/png", ServerHarness.read(f));
        assertSameDetections(query.json().get("detections"), low.detect(f).detections());
        Reply json = h.multipart("/v1/detect", List.of(Part.file(f),
            Part.text("options", "{\"threshold\": 0.1, \"maxDetections\": 3}")));
        assertSameDetections(json.json().get("detections"), low.detect(f).detections());
      }
      Reply flipped = h.multipart("/v1/detect?threshold=0.2", List.of(Part.file(coffee),
          Part.text("options", "{\"flip\": true}")));
      assertSameDetections(flipped.json().get("detections"), flip.detect(coffee).detections());
      Reply scaled = h.post("/v1/detect?scales=0.75,1", "image/png", ServerHarness.read(coffee));
      assertSameDetections(scaled.json().get("detections"), scales.detect(coffee).detections());
    }
    JsonNode models = h.get("/v1/models").json().get("models").get(0);
    assertThat(models.get("loadedVariants").toString())
        .contains("flip=false scales=[1.0]", "flip=true scales=[1.0]", "flip=false scales=[0.75, 1.0]");
  }

  @Test
  void aBatchAnswersEveryImageAndReportsTheBadOne() throws IOException {
    Path chelsea = ServerHarness.SAMPLES.resolve("chelsea.png");
    Path hopper = ServerHarness.POSE_IMAGES.resolve("grace_hopper.jpg");
    byte[] coffee = ServerHarness.read(ServerHarness.SAMPLES.resolve("coffee.png"));
    byte[] cut = java.util.Arrays.copyOf(coffee, coffee.length / 3);
    Reply r = h.multipart("/v1/detect/batch", List.of(Part.file(chelsea), new Part("image", "coffee-cut.png", cut),
        Part.file(hopper), new Part("image", "notes.txt", "not an image".getBytes())));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode results = r.json().get("results");
    assertThat(results.size()).isEqualTo(4);
    assertThat(results.get(0).get("fileName").asText()).isEqualTo("chelsea.png");
    assertSameDetections(results.get(0).get("result").get("detections"), plain.detect(chelsea).detections());
    assertSameDetections(results.get(2).get("result").get("detections"), plain.detect(hopper).detections());
    JsonNode e1 = results.get(1).get("error");
    assertThat(results.get(1).get("result")).isNull();
    assertThat(e1.get("status").asInt()).isEqualTo(400);
    assertThat(e1.get("code").asText()).isEqualTo("invalid_image");
    assertThat(e1.get("message").asText()).contains("'coffee-cut.png'", "corrupt or truncated");
    JsonNode e3 = results.get(3).get("error");
    assertThat(e3.get("message").asText()).contains("'notes.txt'", "not in a supported format");
    for (int i = 0; i < 4; i++) {
      assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
    }
  }

  @Test
  void modelsHealthReadyAndMetricsAnswer() {
    Reply models = h.get("/v1/models");
    assertThat(models.status()).isEqualTo(200);
    JsonNode m = models.json().get("models").get(0);
    assertThat(m.get("name").asText()).isEqualTo("coco");
    assertThat(m.get("family").asText()).isEqualTo(plain.modelInfo().family().name());
    assertThat(m.get("labels").size()).isEqualTo(80);
    assertThat(m.get("labels").get(0).asText()).isEqualTo("person");
    assertThat(m.get("inputWidth").asInt()).isEqualTo(512);
    JsonNode limits = models.json().get("limits");
    assertThat(limits.get("maxQueue").asInt()).isEqualTo(32);
    assertThat(limits.get("maxBodyBytes").asLong()).isEqualTo(10L << 20);
    assertThat(limits.get("maxPixels").asLong()).isEqualTo(25_000_000L);
    // the server's default of one intra-op thread per run gives one run per core, and twice that in progress
    assertThat(limits.get("maxConcurrency").asInt()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());

    Reply health = h.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("UP");
    Reply ready = h.get("/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("ready").asBoolean()).isTrue();

    double before = metric(h.get("/metrics").body(), "keydet_http_requests_seconds_count{endpoint=\"detect\",status=\"200\"}");
    double okBefore = metric(h.get("/metrics").body(), "keydet_images_total{outcome=\"ok\"}");
    byte[] cat = ServerHarness.read(ServerHarness.SAMPLES.resolve("chelsea.png"));
    for (int i = 0; i < 3; i++) {
      assertThat(h.post("/v1/detect", "image/png", cat).status()).isEqualTo(200);
    }
    assertThat(h.post("/v1/detect", "image/png", "junk".getBytes()).status()).isEqualTo(400);
    Reply metrics = h.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    String text = metrics.body();
    assertThat(metric(text, "keydet_http_requests_seconds_count{endpoint=\"detect\",status=\"200\"}"))
        .isEqualTo(before + 3);
    assertThat(metric(text, "keydet_images_total{outcome=\"ok\"}")).isEqualTo(okBefore + 3);
    assertThat(metric(text, "keydet_images_total{outcome=\"invalid_image\"}")).isGreaterThanOrEqualTo(1);
    assertThat(metric(text, "keydet_http_requests_seconds_count{endpoint=\"detect\",status=\"400\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(metric(text, "keydet_stage_seconds_count{stage=\"inference\"}")).isGreaterThanOrEqualTo(3);
    assertThat(metric(text, "keydet_admission_limit")).isEqualTo(2 * Runtime.getRuntime().availableProcessors() + 32);
    assertThat(text).contains("# TYPE keydet_admission_rejected_total counter", "keydet_admission_in_system ",
        "jvm_memory_used_bytes{");
  }

  /** The value of a Prometheus sample line that starts with {@code name} (labels included). */
  static double metric(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void badRequestsAre4xxJsonNamingTheProblem() throws IOException {
    long mark = ServerHarness.logMark();
    byte[] png = ServerHarness.read(ServerHarness.SAMPLES.resolve("chelsea.png"));
    byte[] jpg = ServerHarness.read(ServerHarness.POSE_IMAGES.resolve("pair.jpg"));
    Path cat = ServerHarness.SAMPLES.resolve("chelsea.png");

    assertError(h.post("/v1/detect", "image/png", "hello, not an image".getBytes()), 400, "invalid_image",
        "image in the request body is not in a supported format (19 bytes");
    assertError(h.post("/v1/detect", "image/png", java.util.Arrays.copyOf(png, png.length / 2)), 400,
        "invalid_image", "(PNG) is corrupt or truncated");
    assertError(h.post("/v1/detect", "image/jpeg", java.util.Arrays.copyOf(jpg, jpg.length / 2)), 400,
        "invalid_image", "truncated JPEG in the request body");
    assertError(h.post("/v1/detect", "image/png", new byte[0]), 400, "empty_body", "request body is empty");
    assertError(h.post("/v1/detect", "text/plain", png), 415, "unsupported_media_type",
        "Content-Type text/plain is not accepted");
    assertError(h.post("/v1/detect", "application/json", "{}".getBytes()), 415, "unsupported_media_type",
        "application/json");
    assertError(h.post("/v1/detect", null, png), 415, "unsupported_media_type", "no Content-Type");
    assertError(h.post("/v1/detect?foo=1", "image/png", png), 400, "unknown_option",
        "unknown option 'foo' (query parameter); known options: threshold, maxDetections, flip, scales");
    assertError(h.multipart("/v1/detect", List.of(Part.file(cat), Part.text("options", "{\"thresh\": 0.5}"))),
        400, "unknown_option", "unknown option 'thresh' (JSON options)");
    assertError(h.multipart("/v1/detect", List.of(Part.file(cat), Part.text("options", "{threshold"))), 400,
        "invalid_options_json", "options are not valid JSON");
    assertError(h.multipart("/v1/detect", List.of(Part.file(cat), Part.text("options", "[1]"))), 400,
        "invalid_options_json", "options must be a JSON object");
    assertError(h.post("/v1/detect?threshold=2", "image/png", png), 400, "invalid_option",
        "threshold must be in [0, 1], got 2");
    assertError(h.post("/v1/detect?threshold=abc", "image/png", png), 400, "invalid_option",
        "threshold must be a number, got 'abc'");
    assertError(h.post("/v1/detect?threshold=0.1&threshold=0.2", "image/png", png), 400, "invalid_option",
        "option 'threshold' given 2 times");
    assertError(h.post("/v1/detect?maxDetections=0", "image/png", png), 400, "invalid_option",
        "maxDetections must be a whole number in [1, 100]");
    assertError(h.post("/v1/detect?maxDetections=101", "image/png", png), 400, "invalid_option", "got 101");
    assertError(h.post("/v1/detect?flip=maybe", "image/png", png), 400, "invalid_option",
        "flip must be true or false, got 'maybe'");
    assertError(h.post("/v1/detect?scales=1,9", "image/png", png), 400, "invalid_option",
        "each scale must be in [0.25, 2.0], got 9");
    assertError(h.multipart("/v1/detect", List.of(Part.text("options", "{}"))), 400, "missing_image",
        "no file part named 'image'");
    assertError(h.multipart("/v1/detect", List.of(Part.text("image", "abc"))), 400, "missing_image",
        "is a text field, not a file part");
    assertError(h.multipart("/v1/detect", List.of(new Part("img", "a.png", png))), 400, "unknown_field",
        "unknown multipart file field 'img'");
    assertError(h.multipart("/v1/detect", List.of(Part.file(cat), Part.text("colour", "red"))), 400,
        "unknown_field", "unknown multipart field 'colour'");
    assertError(h.multipart("/v1/detect", List.of(Part.file(cat), Part.file(cat))), 413, "too_many_images",
        "one image per /v1/detect request, got 2; use /v1/detect/batch");
    assertError(h.post("/v1/detect", "multipart/form-data", png), 400, "malformed_multipart",
        "has no boundary parameter");
    assertError(h.post("/v1/detect", "multipart/form-data; boundary=xyz", "garbage".getBytes()), 400,
        "malformed_multipart", "cannot parse the multipart/form-data body");
    assertError(h.post("/v1/detect", "image/png", pngHeader(20000, 20000)), 413, "too_many_pixels",
        "image in the request body is 20000x20000 = 400000000 pixels, above the limit of 25000000 pixels");
    assertError(h.post("/v1/detect/batch", "image/png", new byte[0]), 400, "empty_body", "request body is empty");

    Reply get = h.get("/v1/detect");
    assertError(get, 405, "method_not_allowed", "method GET is not allowed on /v1/detect; use POST");
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertError(h.post("/health", "image/png", png), 405, "method_not_allowed", "use GET");
    assertError(h.send(h.request("/v1/models").DELETE()), 405, "method_not_allowed", "method DELETE");
    assertError(h.get("/v2/detect"), 404, "not_found", "no endpoint GET /v2/detect; endpoints: POST /v1/detect");

    assertThat(ServerHarness.errorLinesSince(mark)).as("ERROR lines in the server log").isEmpty();
    // the server still answers correctly after all that
    Reply ok = h.post("/v1/detect", "image/png", png);
    assertSameDetections(ok.json().get("detections"), plain.detect(cat).detections());
  }

  @Test
  void refusedBodiesAreDrainedSoTheAnswerArrives() {
    // An error answered before the body is read must still reach the client: a socket closed with unread input
    // is reset by the kernel and the answer can be lost with it. Large bodies make that race likely.
    byte[] big = new byte[4 << 20];
    new java.util.Random(7).nextBytes(big);
    for (int i = 0; i < 15; i++) {
      assertError(h.post("/v1/detect", "multipart/form-data", big), 400, "malformed_multipart",
          "has no boundary parameter");
      assertError(h.post("/v1/detect", "text/plain", big), 415, "unsupported_media_type", "text/plain");
    }
  }

  /** A PNG of just a header claiming {@code w x h} (IHDR, then IEND): tens of bytes. */
  static byte[] pngHeader(int w, int h) {
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + data.length).putInt(data.length);
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    b.put(t).put(data);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(t);
    crc.update(data);
    b.putInt((int) crc.getValue());
    out.writeBytes(b.array());
  }
}
