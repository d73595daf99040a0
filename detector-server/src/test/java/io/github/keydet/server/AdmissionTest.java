package io.github.keydet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link Admission}'s bound without HTTP, with latches instead of timing: 1 worker and a queue of 1 admit two
 * requests and refuse the third with 503 {@code overloaded}; a request that gives up while queued frees its slot
 * and its work never starts; a running request's slot is freed only when its work ends, even after its caller gave
 * up.
 */
class AdmissionTest {
  private static long now() {
    return System.nanoTime();
  }

  @Test
  void theBoundIsConcurrencyPlusQueueAndGivingUpFreesTheSlotOnlyWhenTheWorkEnds() throws Exception {
    try (Admission a = new Admission(1, 1)) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Admission.Ticket first = a.enter();
      CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> {
        try {
          return first.run(() -> {
            started.countDown();
            release.await();
            return "done";
          }, now() + TimeUnit.SECONDS.toNanos(60));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(a.running()).isEqualTo(1);

      Admission.Ticket second = a.enter();
      assertThat(a.inSystem()).isEqualTo(2);
      assertThatThrownBy(a::enter).isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.code()).isEqualTo("overloaded");
        assertThat(e.retryAfterSeconds()).isPositive();
        assertThat(e.getMessage()).contains("limit of 1 detections in progress and 1 waiting");
      });
      assertThat(a.rejected()).isEqualTo(1);

      // the queued request gives up at its deadline: its slot is free at once, its work never runs
      AtomicBoolean ran = new AtomicBoolean();
      assertThatThrownBy(() -> second.run(() -> ran.getAndSet(true), now() + TimeUnit.MILLISECONDS.toNanos(20)))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("waited longer"));
      second.close();
      assertThat(a.inSystem()).isEqualTo(1);

      release.countDown();
      assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo("done");
      first.close();
      assertThat(a.awaitIdle(30_000)).isTrue();
      assertThat(ran).isFalse();
      assertThat(a.running()).isZero();
      try (Admission.Ticket again = a.enter()) {
        assertThat(again.run(() -> 42, now() + TimeUnit.SECONDS.toNanos(30))).isEqualTo(42);
      }
      assertThat(a.inSystem()).isZero();
    }
  }
}
