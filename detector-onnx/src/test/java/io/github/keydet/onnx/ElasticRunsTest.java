package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.post.PostprocessConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Elastic runs: a call alone on every core, overlapping calls on one-thread sessions side by side. */
class ElasticRunsTest {
  /** A demand the test sets by hand. */
  static final class FakeDemand implements RunSlots.Demand {
    volatile int calls = 1;
    volatile long lastOverlap = System.nanoTime() - TimeUnit.HOURS.toNanos(1);

    @Override
    public int callsInProgress() {
      return calls;
    }

    @Override
    public long lastOverlapNanos() {
      return lastOverlap;
    }
  }

  private static OrtSession open(OrtEnvironment env, int threads) throws OrtException {
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(threads);
      return env.createSession(TinyModels.path("tiny_centernet.onnx").toString(), o);
    }
  }

  @Test
  void aLoneCallRunsWideOverlappingCallsRunNarrowAndTheThirdWaits() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    AtomicInteger opened = new AtomicInteger();
    AtomicReference<OrtSession> narrowRef = new AtomicReference<>();
    try (OrtSession wide = open(env, 2)) {
      FakeDemand demand = new FakeDemand();
      try (RunSlots slots = RunSlots.elastic("tiny", wide, 2, () -> {
        opened.incrementAndGet();
        narrowRef.set(open(env, 1));
        return narrowRef.get();
      }, demand)) { // owns the narrow session: closes it
        assertThat(slots.elastic()).isTrue();
        assertThat(slots.maxConcurrentRuns()).isEqualTo(2);

        RunSlots.Slot alone = slots.acquire();
        assertThat(alone.session()).isSameAs(wide);
        assertThat(alone.slots()).isEqualTo(2);
        slots.release(alone);
        assertThat(opened).as("no overlap yet: the narrow session is not opened").hasValue(0);

        demand.calls = 2;
        demand.lastOverlap = System.nanoTime();
        RunSlots.Slot a = slots.acquire();
        RunSlots.Slot b = slots.acquire();
        assertThat(a.session()).isSameAs(narrowRef.get());
        assertThat(b.session()).isSameAs(narrowRef.get());
        assertThat(a.slots()).isEqualTo(1);
        assertThat(opened).as("opened once").hasValue(1);

        // both cores are held: a third run waits until one is given back
        AtomicReference<RunSlots.Slot> third = new AtomicReference<>();
        Thread waiter = new Thread(() -> third.set(slots.acquire()));
        waiter.start();
        waitUntilWaiting(waiter);
        assertThat(third.get()).isNull();
        slots.release(a);
        waiter.join(10_000);
        assertThat(third.get()).isNotNull();
        assertThat(third.get().session()).isSameAs(narrowRef.get());

        // one call in progress again, but the last overlap was just now: still narrow (callers in a loop leave
        // gaps between calls; a wide run there would make them wait for all cores)
        demand.calls = 1;
        slots.release(b);
        Thread.sleep(50); // the last run took at least 50 ms, so "a while" is at least 200 ms
        slots.release(third.get());
        demand.lastOverlap = System.nanoTime();
        RunSlots.Slot justAfter = slots.acquire();
        assertThat(justAfter.session()).isSameAs(narrowRef.get());
        slots.release(justAfter);

        // quiet for far longer than QUIET_RUNS run times: wide again
        demand.lastOverlap = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
        RunSlots.Slot later = slots.acquire();
        assertThat(later.session()).isSameAs(wide);
        assertThat(later.slots()).isEqualTo(2);
        slots.release(later);
        assertThat(opened).hasValue(1);
      }
    }
  }

  @Test
  void aNarrowSessionThatCannotOpenLeavesEveryRunWideWithAllCores() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    AtomicInteger attempts = new AtomicInteger();
    try (OrtSession wide = open(env, 2)) {
      FakeDemand demand = new FakeDemand();
      demand.calls = 3;
      demand.lastOverlap = System.nanoTime();
      try (RunSlots slots = RunSlots.elastic("tiny", wide, 2, () -> {
        attempts.incrementAndGet();
        throw new OrtException("no memory for a second session");
      }, demand)) {
        for (int i = 0; i < 3; i++) {
          RunSlots.Slot s = slots.acquire();
          assertThat(s.session()).isSameAs(wide);
          assertThat(s.slots()).isEqualTo(2);
          slots.release(s);
        }
        assertThat(attempts).as("tried once").hasValue(1);
      }
    }
  }

  @Test
  void elasticOnlyWhenNothingIsSetAndThereAreCoresToShare() {
    assertThat(elastic(b -> b)).isTrue();
    assertThat(elastic(b -> b.optIntraOpThreads(1))).isFalse();
    assertThat(elastic(b -> b.optMaxConcurrentRuns(1))).isFalse();
    assertThat(elastic(b -> b.optElasticRuns(false))).isFalse();
    assertThat(elastic(b -> b.cores(1))).isFalse();
  }

  private static boolean elastic(java.util.function.UnaryOperator<OnnxDetector.Builder> settings) {
    OnnxDetector.Builder b = OnnxDetector.builder().setModel(TinyModels.path("tiny_centernet.onnx"))
        .optProvider(ExecutionProvider.cpu()).cores(2);
    try (OnnxDetector d = settings.apply(b).build()) {
      if (d.elasticRuns()) {
        assertThat(d.maxConcurrentRuns()).isEqualTo(2);
      }
      return d.elasticRuns();
    }
  }

  @Test
  void overlappingCallersOpenTheOneThreadSessionAndGetWhatOneCallerGets() throws Exception {
    try (OnnxDetector d = OnnxDetector.builder().setModel(TinyModels.path("tiny_centernet.onnx"))
        .optProvider(ExecutionProvider.cpu()).cores(2)
        .optDecodeOptions(DecodeOptions.defaults().withK(10))
        .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(0f)).build()) {
      assertThat(d.elasticRuns()).isTrue();
      DetectionResult alone = d.detect(TinyModels.image());
      for (int i = 0; i < 5; i++) {
        assertThat(d.detect(TinyModels.image()).detections()).isEqualTo(alone.detections());
      }
      assertThat(d.runSlots().narrowIfOpen()).as("sequential calls never overlap").isNull();
      assertThat(alone.detections()).isNotEmpty();

      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<DetectionResult>> calls = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
          calls.add(pool.submit(() -> d.detect(TinyModels.image())));
        }
        for (Future<DetectionResult> f : calls) {
          TinyModels.assertSameDetections(f.get().detections(), alone.detections(), "a concurrent call");
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(d.runSlots().narrowIfOpen()).as("8 callers overlapped").isNotNull();
      assertThat(d.runSlots().largestRunThreadCount()).as("8 callers, 2 cores: the runs on 2 run threads at most")
          .isBetween(1, 2);
    }
  }

  private static void waitUntilWaiting(Thread t) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != Thread.State.WAITING && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(t.getState()).as("the third run waits for a core").isEqualTo(Thread.State.WAITING);
  }
}
