package io.github.keydet.server;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the detection work of the server: at most {@code concurrency} requests work at once, on this class's
 * own {@code concurrency} worker threads, and at most {@code queue} more wait for a worker. A request beyond that
 * is refused at once ({@link #enter()} throws a 503 with {@code Retry-After}), before its body is read, so neither
 * threads nor memory grow with the number of clients: the request bodies held are at most {@code concurrency +
 * queue}.
 *
 * <p>A request {@link #enter()}s (taking a slot), reads its body, then {@link Ticket#run}s its work with a
 * deadline: when the deadline passes while it still waits for a worker it leaves the queue (503 {@code timeout});
 * when it passes during the work the response is a 503 and the work finishes in the background, its slot
 * released only then (so the bound holds). Thread-safe.
 */
public final class Admission implements AutoCloseable {
  private final int concurrency;
  private final int queue;
  private final Semaphore slots;
  private final ThreadPoolExecutor workers;
  private final AtomicInteger inSystem = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong rejected = new AtomicLong();
  /** Exponentially weighted mean of the work's duration, for {@code Retry-After}. */
  private volatile double meanWorkNanos = 100e6;

  /**
   * @param concurrency requests working at once (worker threads), at least 1
   * @param queue requests admitted and waiting beyond those, at least 0
   */
  public Admission(int concurrency, int queue) {
    if (concurrency < 1 || queue < 0) {
      throw new IllegalArgumentException("concurrency must be >= 1 and queue >= 0, got " + concurrency + ", " + queue);
    }
    this.concurrency = concurrency;
    this.queue = queue;
    this.slots = new Semaphore(concurrency + queue);
    AtomicInteger n = new AtomicInteger();
    // the slots bound the queue; its capacity only backs that up
    this.workers = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(concurrency + queue), r -> {
          Thread t = new Thread(r, "keydet-detect-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Takes a slot for a request.
   *
   * @throws ApiException 503 {@code overloaded} with {@code Retry-After} when all slots are taken
   */
  public Ticket enter() {
    if (!slots.tryAcquire()) {
      rejected.incrementAndGet();
      throw ApiException.unavailable("overloaded", "the server is at its limit of " + concurrency
          + " detections in progress and " + queue + " waiting; retry later", retryAfterSeconds());
    }
    inSystem.incrementAndGet();
    return new Ticket();
  }

  /** Seconds until a slot is likely free: the waiting work divided among the workers, at least 1. */
  public long retryAfterSeconds() {
    double seconds = meanWorkNanos * (inSystem.get() + 1) / concurrency / 1e9;
    return Math.max(1, (long) Math.ceil(seconds));
  }

  /** Requests holding a slot (working or waiting). */
  public int inSystem() {
    return inSystem.get();
  }

  /** Requests working now. */
  public int running() {
    return running.get();
  }

  /** Requests refused because every slot was taken, since start. */
  public long rejected() {
    return rejected.get();
  }

  public int concurrency() {
    return concurrency;
  }

  public int queue() {
    return queue;
  }

  /** Waits up to the timeout until no request holds a slot; true when none does. */
  public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (inSystem.get() > 0) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** Stops the workers (after the work already handed to them). */
  @Override
  public void close() {
    workers.shutdown();
  }

  /** One admitted request's slot; released exactly once, by {@link #close()} or by the work it ran. */
  public final class Ticket implements AutoCloseable {
    private final AtomicBoolean released = new AtomicBoolean();
    /** Set by whichever comes first: the worker starting the work (it releases) or the caller giving up. */
    private final AtomicBoolean claimed = new AtomicBoolean();

    private Ticket() {}

    /**
     * Runs the work on a worker, waiting at most until the deadline.
     *
     * @param deadlineNanos a {@link System#nanoTime()} value
     * @return the work's result
     * @throws ApiException 503 {@code timeout} when the deadline passes; what the work throws, unwrapped
     */
    public <T> T run(Callable<T> work, long deadlineNanos) throws Exception {
      Future<T> future;
      try {
        future = workers.submit(() -> {
          if (!claimed.compareAndSet(false, true)) {
            return null; // the caller gave up waiting and released the slot
          }
          running.incrementAndGet();
          long start = System.nanoTime();
          try {
            return work.call();
          } finally {
            meanWorkNanos = 0.9 * meanWorkNanos + 0.1 * (System.nanoTime() - start);
            running.decrementAndGet();
            release();
          }
        });
      } catch (RejectedExecutionException e) {
        throw ApiException.unavailable("shutting_down", "the server is shutting down", 1);
      }
      try {
        return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        boolean stillQueued = !claimed.get();
        throw ApiException.unavailable("timeout", stillQueued
            ? "the request waited longer than the request timeout for a free detection slot"
            : "the detection took longer than the request timeout", retryAfterSeconds());
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception ex) {
          throw ex;
        }
        throw (Error) cause;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApiException.unavailable("shutting_down", "interrupted while waiting for the detection", 1);
      }
    }

    /**
     * Releases the slot unless the work started on a worker (that work releases it when done); work still queued
     * will not start after this.
     */
    @Override
    public void close() {
      if (claimed.compareAndSet(false, true)) {
        release();
      }
    }

    private void release() {
      if (released.compareAndSet(false, true)) {
        inSystem.decrementAndGet();
        slots.release();
      }
    }
  }
}
