package io.github.keydet.onnx;

import io.github.keydet.api.InferenceException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * How many {@code detect} calls of one {@link OnnxDetector} are past their wait at once: twice the concurrent
 * network runs, so that one call's pre- and post-processing overlap another's run, while callers beyond that wait
 * (in arrival order) before allocating anything, which keeps memory flat in the number of callers. The runs
 * themselves are bounded by {@link RunSlots}. It also tells {@link RunSlots} how many calls are in progress.
 */
final class CallAdmission implements RunSlots.Demand {
  private final int maxConcurrentRuns;
  private final Semaphore activeCalls;
  /** Calls between entering {@link #call} and leaving it, the waiting ones included. */
  private final AtomicInteger inProgress = new AtomicInteger();
  /** {@link System#nanoTime} when a call last entered while another was in progress. */
  private volatile long lastOverlapNanos = System.nanoTime() - (1L << 40);

  CallAdmission(int maxConcurrentRuns) {
    this.maxConcurrentRuns = maxConcurrentRuns;
    this.activeCalls = new Semaphore(2 * maxConcurrentRuns, true);
  }

  /**
   * The default number of concurrent network runs: as many as the cores can run without oversubscription, cores
   * divided by the intra-op threads of one run (ONNX Runtime's default is one thread per core), at least 1.
   */
  static int automaticConcurrentRuns(int cores, int intraOpThreads) {
    int perRun = intraOpThreads > 0 ? intraOpThreads : cores;
    return Math.max(1, cores / Math.max(1, perRun));
  }

  int maxConcurrentRuns() {
    return maxConcurrentRuns;
  }

  /** Calls in progress, waiting or admitted (what {@link RunSlots} asks to choose between a wide and a narrow run). */
  @Override
  public int callsInProgress() {
    return inProgress.get();
  }

  /** {@link System#nanoTime} when a call last entered while another one was in progress. */
  @Override
  public long lastOverlapNanos() {
    return lastOverlapNanos;
  }

  /** Runs {@code call} once admitted; an interrupted wait throws {@link InferenceException} naming the model. */
  <T> T call(String modelName, Supplier<T> call) {
    if (inProgress.incrementAndGet() > 1) {
      lastOverlapNanos = System.nanoTime();
    }
    try {
      await(activeCalls, 1, modelName);
      try {
        return call.get();
      } finally {
        activeCalls.release();
      }
    } finally {
      inProgress.decrementAndGet();
    }
  }

  /**
   * Waits, in the semaphore's order, for {@code permits} of {@code s}; an interrupted wait keeps the interrupt
   * and throws {@link InferenceException} naming the model (the admission's and the run slots' wait alike).
   */
  static void await(Semaphore s, int permits, String modelName) {
    try {
      s.acquire(permits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InferenceException("interrupted while waiting to run model '" + modelName + "'", e);
    }
  }
}
