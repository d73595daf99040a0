package io.github.keydet.server;

import static io.github.keydet.server.ServerHarness.assertError;
import static io.github.keydet.server.ServerHarness.assertSameDetections;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.api.Detection;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.OnnxDetector;
import io.github.keydet.server.ServerHarness.Part;
import io.github.keydet.server.ServerHarness.Reply;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's limits, each on a server started with a small setting: the body limit (413 from Content-Length, from
 * a chunked body and from a multipart body), the pixel limit (413 from the header, in a single request and as one
 * item of a batch), the batch size (413), the request timeout (503 with Retry-After, the slot freed when the work
 * ends), and a graceful shutdown that finishes the request in progress while refusing new ones.
 */
class ServerLimitsTest {
  private static final Path ASTRONAUT = ServerHarness.SAMPLES.resolve("astronaut.png"); // 791555 bytes, 512x512
  private static final Path CHELSEA = ServerHarness.SAMPLES.resolve("chelsea.png"); // 240512 bytes, 451x300
  private static final Path COFFEE = ServerHarness.SAMPLES.resolve("coffee.png"); // 466706 bytes, 600x400
  private static OnnxDetector plain;

  @BeforeAll
  static void load() {
    plain = BundledModels.builder("coco").optPostprocess(PostprocessConfig.defaults()).build();
  }

  @AfterAll
  static void close() {
    plain.close();
  }

  @Test
  void bodyPixelAndBatchLimitsAre413NamingTheLimit() {
    long mark = ServerHarness.logMark();
    try (ServerHarness h = ServerHarness.start(b -> b.optMaxBodyBytes(500_000).optMaxPixels(200_000)
        .optMaxBatchImages(2))) {
      assertError(h.post("/v1/detect", "image/png", ServerHarness.read(ASTRONAUT)), 413, "body_too_large",
          "the request body is 791555 bytes, above the limit of 500000 bytes (--max-body-bytes)");
      Reply chunked = h.send(h.request("/v1/detect").header("Content-Type", "image/png").POST(
          HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(ServerHarness.read(ASTRONAUT)))));
      assertError(chunked, 413, "body_too_large", "above the limit of 500000 bytes");
      assertError(h.multipart("/v1/detect", List.of(Part.file(ASTRONAUT))), 413, "body_too_large",
          "above the limit of 500000 bytes");
      assertError(h.post("/v1/detect", "image/png", ServerHarness.read(COFFEE)), 413, "too_many_pixels",
          "image in the request body is 600x400 = 240000 pixels, above the limit of 200000 pixels"
              + " (the server's --max-pixels)");
      Part small = Part.file(ServerHarness.TINY.resolve("res18_ctdet.png")); // 64x64
      assertError(h.multipart("/v1/detect/batch", List.of(small, small, small)), 413, "too_many_images",
          "3 images, above the limit of 2 per batch (--max-batch-images)");

      Reply ok = h.post("/v1/detect", "image/png", ServerHarness.read(CHELSEA));
      assertSameDetections(ok.json().get("detections"), plain.detect(CHELSEA).detections());
      Reply batch = h.multipart("/v1/detect/batch", List.of(Part.file(CHELSEA), new Part("image", "big.png",
          DetectionServerTest.pngHeader(1000, 1000))));
      assertThat(batch.status()).isEqualTo(200);
      JsonNode results = batch.json().get("results");
      assertSameDetections(results.get(0).get("result").get("detections"), plain.detect(CHELSEA).detections());
      JsonNode e = results.get(1).get("error");
      assertThat(e.get("status").asInt()).isEqualTo(413);
      assertThat(e.get("code").asText()).isEqualTo("too_many_pixels");
      assertThat(e.get("message").asText()).contains("image 'big.png' is 1000x1000 = 1000000 pixels");
    }
    assertThat(ServerHarness.errorLinesSince(mark)).isEmpty();
  }

  /** 16 images take at least 16 network runs (about 45 ms each here), far beyond a 200 ms timeout. */
  @Test
  void aRequestBeyondTheTimeoutIs503AndItsSlotIsFreedWhenTheWorkEnds() throws Exception {
    try (ServerHarness h = ServerHarness.start(b -> b.optRequestTimeout(Duration.ofMillis(200))
        .optMaxConcurrency(1).optMaxQueue(0))) {
      // small files (read in a few ms), each still a full 512x512 network run
      Reply slow = h.multipart("/v1/detect/batch",
          Collections.nCopies(16, Part.file(ServerHarness.TINY.resolve("res18_ctdet.png"))));
      assertError(slow, 503, "timeout", "the detection took longer than the request timeout");
      assertThat(Long.parseLong(slow.headers().firstValue("Retry-After").orElseThrow())).isPositive();
      // the work goes on in the background and keeps its slot (the bound holds), then frees it
      assertThat(h.server.admission().inSystem()).isEqualTo(1);
      assertError(h.post("/v1/detect", "image/png", ServerHarness.read(CHELSEA)), 503, "overloaded",
          "at its limit of 1 detections in progress and 0 waiting");
      assertThat(h.server.admission().awaitIdle(60_000)).isTrue();
      // admitted again (one image usually fits in 200 ms; on a loaded machine it may time out in turn)
      Reply next = h.post("/v1/detect", "image/png", ServerHarness.read(CHELSEA));
      if (next.status() == 200) {
        assertSameDetections(next.json().get("detections"), plain.detect(CHELSEA).detections());
      } else {
        assertError(next, 503, "timeout", "the detection took longer than the request timeout");
      }
    }
  }

  @Test
  void aGracefulShutdownFinishesTheRequestInProgressAndRefusesNewOnes() throws Exception {
    long mark = ServerHarness.logMark();
    ServerHarness h = ServerHarness.start(b -> b);
    List<Detection> expected = plain.detect(CHELSEA).detections();
    byte[] body = ServerHarness.multipartBody("b0undary", Collections.nCopies(16, Part.file(CHELSEA)));
    CompletableFuture<Reply> inFlight = CompletableFuture.supplyAsync(() -> h.send(h.request("/v1/detect/batch")
        .header("Content-Type", "multipart/form-data; boundary=b0undary")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))));
    Admission admission = h.server.admission();
    long end = System.nanoTime() + 30_000_000_000L;
    while (admission.running() == 0 && System.nanoTime() < end) {
      Thread.sleep(2);
    }
    assertThat(admission.running()).as("the batch is running").isEqualTo(1);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(h::close);
    while (h.server.isReady() && System.nanoTime() < end) {
      Thread.sleep(1);
    }
    // stopping: the port is still open for the request in progress, new work is refused
    Reply ready = h.get("/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json().get("state").asText()).isEqualTo("STOPPING");
    Reply refused = h.post("/v1/detect", "image/png", ServerHarness.read(CHELSEA));
    assertError(refused, 503, "shutting_down", "the server is shutting down");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(inFlight).isNotDone();

    Reply finished = inFlight.get();
    assertThat(finished.status()).as(finished.body()).isEqualTo(200);
    JsonNode results = finished.json().get("results");
    assertThat(results.size()).isEqualTo(16);
    for (JsonNode r : results) {
      assertSameDetections(r.get("result").get("detections"), expected);
    }
    closing.get();
    assertThat(h.server.isReady()).isFalse();
    assertThatThrownBy(() -> h.get("/health")).as("the port is closed").isInstanceOf(UncheckedIOException.class);
    List<String> errors = new ArrayList<>(ServerHarness.errorLinesSince(mark));
    assertThat(errors).isEmpty();
  }
}
