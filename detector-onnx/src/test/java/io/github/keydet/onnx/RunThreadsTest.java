package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.keydet.api.InferenceException;
import io.github.keydet.api.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runs execute on the detector's own threads, at most one per slot, whatever the number of callers (ONNX
 * Runtime's per-thread working memory then stays bounded); results, exceptions and interrupts reach the caller.
 * A whole detector's callers: {@link ElasticRunsTest}.
 */
class RunThreadsTest {

  @Test
  void manyCallersShareOneRunThreadPerSlot() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(TinyModels.path("tiny_centernet.onnx").toString());
        RunSlots slots = RunSlots.fixed("tiny", session, 2)) {
      Set<String> runThreads = ConcurrentHashMap.newKeySet();
      Set<String> callerThreads = ConcurrentHashMap.newKeySet();
      ExecutorService callers = Executors.newFixedThreadPool(16);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
          done.add(callers.submit(() -> {
            callerThreads.add(Thread.currentThread().getName());
            for (int i = 0; i < 20; i++) {
              runThreads.add(slots.run(s -> Thread.currentThread().getName()));
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        callers.shutdownNow();
      }
      assertThat(callerThreads).hasSize(16);
      assertThat(runThreads).as("runs never on a caller's thread").doesNotContainAnyElementsOf(callerThreads)
          .allSatisfy(name -> assertThat(name).startsWith("keydet-run-tiny-"));
      assertThat(slots.largestRunThreadCount()).as("one run thread per slot at most").isBetween(1, 2);
    }
  }

  @Test
  void exceptionsAndInterruptsReachTheCaller() throws Exception {
    try (RunSlots slots = RunSlots.fixed("tiny", null, 1)) {
      InvalidInputException bad = new InvalidInputException("bad head");
      assertThatThrownBy(() -> slots.run(s -> {
        throw bad;
      })).isSameAs(bad);
      assertThatThrownBy(() -> slots.run(s -> {
        throw new IOException("disk gone");
      })).isInstanceOf(InferenceException.class).hasMessageContaining("'tiny'").hasMessageContaining("disk gone");

      // an interrupt while the run is in progress: the caller still gets the run's result, and its flag stays set
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch finish = new CountDownLatch(1);
      Thread caller = Thread.currentThread();
      Thread interrupter = new Thread(() -> {
        try {
          running.await();
          caller.interrupt();
          Thread.sleep(50);
          finish.countDown();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      interrupter.start();
      String result = slots.run(s -> {
        running.countDown();
        finish.await();
        return "done";
      });
      assertThat(result).isEqualTo("done");
      assertThat(Thread.interrupted()).as("interrupt kept (and cleared here)").isTrue();
      interrupter.join();
    }
  }
}
