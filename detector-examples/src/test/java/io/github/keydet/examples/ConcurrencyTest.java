package io.github.keydet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.Detection;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One detector shared by 8 threads returns exactly what serial use returns. */
class ConcurrencyTest {

  @Test
  void eightThreadsGetTheSerialResults() throws Exception {
    List<BufferedImage> images = new ArrayList<>();
    for (String name : DefaultModelFixtures.NAMES) {
      images.add(DefaultModelFixtures.sample(name));
    }
    try (OnnxDetector detector = DefaultModelFixtures.builder().optIntraOpThreads(1).build()) {
      List<List<Detection>> serial = new ArrayList<>();
      for (BufferedImage im : images) {
        serial.add(detector.detect(im).detections());
      }
      assertThat(serial).allSatisfy(d -> assertThat(d).isNotEmpty());
      int threads = 8;
      int rounds = 3;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      try {
        List<Future<List<List<Detection>>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int offset = t;
          futures.add(pool.submit(() -> {
            start.await();
            List<List<Detection>> got = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
              for (int i = 0; i < images.size(); i++) {
                // each thread walks the images from a different start, so different images overlap in time
                int j = (i + offset) % images.size();
                got.add(detector.detect(images.get(j)).detections());
              }
            }
            return got;
          }));
        }
        start.countDown();
        for (int t = 0; t < threads; t++) {
          List<List<Detection>> got = futures.get(t).get(5, TimeUnit.MINUTES);
          assertThat(got).hasSize(rounds * images.size());
          for (int k = 0; k < got.size(); k++) {
            int j = (k % images.size() + t) % images.size();
            assertThat(got.get(k)).as("thread %d call %d (image %d)", t, k, j).isEqualTo(serial.get(j));
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
