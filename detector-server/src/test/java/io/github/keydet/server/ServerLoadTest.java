package io.github.keydet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.api.Detection;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.OnnxDetector;
import io.github.keydet.server.ServerHarness.Reply;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 64 concurrent clients x 20 requests against a server with 2 detection slots and a queue of 6: every request is
 * answered, 200 with exactly the in-process detector's detections or 503 with a {@code Retry-After} and the code
 * {@code overloaded}; while they run, the admitted requests never exceed the 8 slots, the detection threads never
 * exceed the 2 workers, Jetty's threads stay within their pool; the heap after the load (after a GC) is within 48
 * MB of the heap before it: room for the pools that legitimately stay (Jetty's and the client's buffers for 64
 * connections, about 13 MB measured) but not for keeping the refused requests' bodies (over 1000 x 68 KB) or the
 * admitted requests' decoded images (84 measured x 0.7 MB); and the server log has no ERROR line.
 */
class ServerLoadTest {
  private static final int CLIENTS = 64;
  private static final int REQUESTS = 20;
  private static final int CONCURRENCY = 2;
  private static final int QUEUE = 6;

  @Test
  void sixtyFourClientsAreAllAnsweredWithinTheBounds() throws Exception {
    Path image = ServerHarness.POSE_IMAGES.resolve("pair.jpg");
    byte[] body = ServerHarness.read(image);
    List<Detection> expected;
    try (OnnxDetector d = BundledModels.builder("coco").optPostprocess(PostprocessConfig.defaults()).build()) {
      expected = d.detect(image).detections();
    }
    assertThat(expected).isNotEmpty();
    long mark = ServerHarness.logMark();
    try (ServerHarness h = ServerHarness.start(b -> b.optMaxConcurrency(CONCURRENCY).optMaxQueue(QUEUE))) {
      for (int i = 0; i < 2; i++) { // warm-up
        ServerHarness.assertSameDetections(h.post("/v1/detect", "image/jpeg", body).json().get("detections"),
            expected);
      }
      long heapBefore = usedHeapAfterGc();
      Admission admission = h.server.admission();
      AtomicInteger maxInSystem = new AtomicInteger();
      AtomicInteger maxRunning = new AtomicInteger();
      AtomicInteger maxDetectThreads = new AtomicInteger();
      AtomicInteger maxHttpThreads = new AtomicInteger();
      AtomicLong samples = new AtomicLong();
      Thread monitor = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          maxInSystem.accumulateAndGet(admission.inSystem(), Math::max);
          maxRunning.accumulateAndGet(admission.running(), Math::max);
          if (samples.incrementAndGet() % 50 == 0) {
            int detect = 0;
            int http = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
              detect += t.getName().startsWith("keydet-detect-") ? 1 : 0;
              http += t.getName().startsWith("keydet-http") ? 1 : 0;
            }
            maxDetectThreads.accumulateAndGet(detect, Math::max);
            maxHttpThreads.accumulateAndGet(http, Math::max);
          }
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "load-monitor");
      monitor.start();

      Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        done.add(clients.submit(() -> {
          for (int i = 0; i < REQUESTS; i++) {
            try {
              Reply r = h.post("/v1/detect", "image/jpeg", body);
              String outcome = outcome(r, expected);
              outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            } catch (RuntimeException | AssertionError e) {
              failures.add(e.toString());
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      clients.shutdown();
      monitor.interrupt();
      monitor.join();

      assertThat(failures).as("requests that failed or were answered wrongly").isEmpty();
      int ok = outcomes.getOrDefault("200", new AtomicInteger()).get();
      int overloaded = outcomes.getOrDefault("503 overloaded", new AtomicInteger()).get();
      System.out.printf("load: %s, max in system %d, max running %d, detect threads %d, http threads %d%n",
          outcomes, maxInSystem.get(), maxRunning.get(), maxDetectThreads.get(), maxHttpThreads.get());
      assertThat(outcomes.keySet()).isSubsetOf("200", "503 overloaded", "503 timeout");
      assertThat(outcomes.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(CLIENTS * REQUESTS);
      assertThat(ok).isPositive();
      assertThat(overloaded).as("64 clients on 8 slots are refused some of the time").isPositive();
      assertThat(maxInSystem.get()).isLessThanOrEqualTo(CONCURRENCY + QUEUE).isPositive();
      assertThat(maxRunning.get()).isLessThanOrEqualTo(CONCURRENCY);
      assertThat(maxDetectThreads.get()).isLessThanOrEqualTo(CONCURRENCY);
      assertThat(maxHttpThreads.get()).isLessThanOrEqualTo(DetectionServer.HTTP_THREADS);
      assertThat(admission.rejected()).isEqualTo(overloaded);
      String metrics = h.get("/metrics").body();
      assertThat(DetectionServerTest.metric(metrics, "keydet_admission_rejected_total")).isEqualTo(overloaded);

      long heapAfter = usedHeapAfterGc();
      System.out.printf("load: heap after GC %d MB before, %d MB after%n", heapBefore >> 20, heapAfter >> 20);
      assertThat(heapAfter - heapBefore).as("heap growth over the load").isLessThan(48L << 20);
    }
    assertThat(ServerHarness.errorLinesSince(mark)).as("ERROR lines in the server log").isEmpty();
  }

  /** "200" (after checking the detections), or "503 CODE" (after checking Retry-After); anything else fails. */
  private static String outcome(Reply r, List<Detection> expected) {
    if (r.status() == 200) {
      ServerHarness.assertSameDetections(r.json().get("detections"), expected);
      return "200";
    }
    assertThat(r.status()).as("status (body %s)", r.body()).isEqualTo(503);
    assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElse("0"))).isPositive();
    JsonNode e = r.json().get("error");
    return "503 " + e.get("code").asText();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
