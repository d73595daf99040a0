package io.github.keydet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.Detection;
import io.github.keydet.api.Keypoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real {@link DetectionServer} on a loopback ephemeral port and a real {@link HttpClient} to call it, plus the
 * comparisons the server tests share. The server's log goes to {@code target/server-tests.log} (surefire sets
 * slf4j-simple's log file), which {@link #errorLinesSince} reads.
 */
final class ServerHarness implements AutoCloseable {
  static final Path SAMPLES = Path.of("../detector-examples/samples");
  static final Path POSE_IMAGES = Path.of("../detector-examples/src/test/resources/pose");
  static final Path TINY = Path.of("../detector-onnx/src/test/resources/tiny");
  static final Path LOG = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/server-tests.log"));
  static final ObjectMapper JSON = new ObjectMapper();

  final DetectionServer server;
  final HttpClient http;
  final String base;

  private ServerHarness(DetectionServer server) {
    this.server = server;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    this.base = "http://127.0.0.1:" + server.port();
  }

  /** The bundled COCO model on 127.0.0.1, port 0, with the settings {@code settings} adds. */
  static ServerHarness start(UnaryOperator<ServerConfig.Builder> settings) {
    return start(ModelChoice.parse("coco"), settings);
  }

  static ServerHarness start(ModelChoice model, UnaryOperator<ServerConfig.Builder> settings) {
    ServerConfig config = settings.apply(ServerConfig.builder().setModel(model).optHost("127.0.0.1").optPort(0))
        .build();
    return new ServerHarness(DetectionServer.start(config));
  }

  /** An HTTP answer. */
  record Reply(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (status " + status + "): " + body, e);
      }
    }

    String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }
  }

  Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(base + pathAndQuery));
  }

  Reply get(String pathAndQuery) {
    return send(request(pathAndQuery).GET());
  }

  /** A raw body; {@code contentType} null sends none. */
  Reply post(String pathAndQuery, String contentType, byte[] body) {
    HttpRequest.Builder b = request(pathAndQuery).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b);
  }

  /** One part of a multipart body; {@code fileName} null makes it a text field. */
  record Part(String name, String fileName, byte[] bytes) {
    static Part file(Path file) {
      return new Part("image", file.getFileName().toString(), read(file));
    }

    static Part text(String name, String value) {
      return new Part(name, null, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  Reply multipart(String pathAndQuery, List<Part> parts) {
    String boundary = "keydet-test-boundary-7f3a";
    return post(pathAndQuery, "multipart/form-data; boundary=" + boundary, multipartBody(boundary, parts));
  }

  static byte[] multipartBody(String boundary, List<Part> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part p : parts) {
      String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name() + "\""
          + (p.fileName() == null ? "" : "; filename=\"" + p.fileName() + "\"\r\nContent-Type: application/octet-stream")
          + "\r\n\r\n";
      out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
      out.writeBytes(p.bytes());
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String contentType(Path file) {
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".png") ? "image/png" : n.endsWith(".jpg") ? "image/jpeg" : "application/octet-stream";
  }

  /** A JSON error answer: the status, the code, a message containing {@code messagePart}, JSON content type. */
  static void assertError(Reply r, int status, String code, String messagePart) {
    assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    JsonNode e = r.json().get("error");
    assertThat(e).as("error object in %s", r.body()).isNotNull();
    assertThat(e.get("status").asInt()).isEqualTo(status);
    assertThat(e.get("code").asText()).isEqualTo(code);
    assertThat(e.get("message").asText()).contains(messagePart);
  }

  /** The {@code detections} array equals the detector's detections, field by field (floats exactly). */
  static void assertSameDetections(JsonNode detections, List<Detection> expected) {
    assertThat(detections.isArray()).isTrue();
    assertThat(detections.size()).as("detections").isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      Detection d = expected.get(i);
      JsonNode j = detections.get(i);
      JsonNode box = j.get("box");
      assertThat(new float[] {box.get("x1").floatValue(), box.get("y1").floatValue(), box.get("x2").floatValue(),
          box.get("y2").floatValue()}).as("box %d", i)
          .isEqualTo(new float[] {d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2()});
      assertThat(j.get("score").floatValue()).as("score %d", i).isEqualTo(d.score());
      assertThat(j.get("classId").asInt()).isEqualTo(d.classId());
      assertThat(j.get("label").asText()).isEqualTo(d.label());
      assertPoints(j.get("keypoints"), d.keypoints(), "keypoints " + i);
      assertPoints(j.get("polygon"), d.polygon(), "polygon " + i);
    }
  }

  /** A JSON list of points (absent when empty) equals the keypoints. */
  static void assertPoints(JsonNode points, List<Keypoint> expected, String what) {
    if (expected.isEmpty()) {
      assertThat(points).as(what + " (none expected)").isNull();
      return;
    }
    assertThat(points.size()).as(what).isEqualTo(expected.size());
    for (int k = 0; k < expected.size(); k++) {
      JsonNode p = points.get(k);
      Keypoint e = expected.get(k);
      assertThat(new float[] {p.get("x").floatValue(), p.get("y").floatValue(), p.get("score").floatValue()})
          .as("%s point %d", what, k).isEqualTo(new float[] {e.x(), e.y(), e.score()});
    }
  }

  /** The server log's current length, for {@link #errorLinesSince}. */
  static long logMark() {
    try {
      return Files.exists(LOG) ? Files.size(LOG) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ERROR lines written to the server log since the mark. */
  static List<String> errorLinesSince(long mark) {
    try {
      byte[] all = Files.exists(LOG) ? Files.readAllBytes(LOG) : new byte[0];
      String text = new String(all, (int) Math.min(mark, all.length), (int) (all.length - Math.min(mark, all.length)),
          StandardCharsets.UTF_8);
      return text.lines().filter(l -> l.contains(" ERROR ")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
