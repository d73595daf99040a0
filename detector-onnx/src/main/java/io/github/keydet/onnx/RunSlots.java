package io.github.keydet.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.keydet.api.InferenceException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which session a network run uses, and the cores it holds while it runs.
 *
 * <p><b>Fixed</b> ({@link #fixed}): at most N runs of the one session at once, each holding one slot.
 *
 * <p><b>Elastic</b> ({@link #elastic}, the default on a multi-core CPU when neither the intra-op threads nor the
 * concurrent runs are set): the slots are the cores. A call that is the only {@code detect} in progress runs the
 * <i>wide</i> session (ONNX Runtime's intra-op threads on every core) and holds every core, which gives one caller
 * the lowest latency; while other calls are in progress (running, preprocessing, decoding or waiting), each run
 * uses a <i>narrow</i> session of one intra-op thread and holds one core, so that the cores run that many
 * networks side by side. Why: on this 2-core machine the default model ran 20–23 images/s with one run on both
 * cores whatever the number of callers, and 33–43 with two one-thread runs (intra-op parallelism of a small
 * network gains little; independent runs gain almost 2x); a caller alone still gets the wide run's latency.
 *
 * <p>A call counts as alone when no other is in progress and none has overlapped another for {@link #QUIET_RUNS}
 * run times: callers in a loop leave short gaps between calls, and a wide run started in one would make them wait.
 *
 * <p>The narrow session is opened on first need (the first time two calls overlap), once, by the caller that
 * needs it; if it cannot be opened, one warning is logged and every run uses the wide session with all cores.
 * Waiting is fair (arrival order) in both modes.
 *
 * <p><b>Run threads.</b> The runs themselves execute on the detector's own threads, one per slot (created on first
 * use, daemon), never on the callers' ({@link #run}). Why: ONNX Runtime keeps native working memory per
 * thread that has run a session (its kernels' thread-local buffers), for as long as the thread lives, so runs on
 * every caller's thread made the resident memory grow with the number of callers: a bare one-thread session run
 * two at a time from 64 threads peaked at 545–573 MB against 471 MB from 2 threads, and at 496–503 MB when the
 * same 64 callers handed their runs to 2 threads. The caller waits for its run (uninterruptibly: a run cannot be
 * stopped half way; an interrupt is kept for the caller to see afterwards) and decodes on its own thread.
 *
 * <p>Thread-safe; {@link #close()} closes the narrow session (the wide one belongs to the detector) and stops the
 * run threads, and must be called only when no run is in progress.
 */
final class RunSlots implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxDetector.class);

  /** Opens the narrow (one intra-op thread) session. */
  interface NarrowSession {
    OrtSession open() throws OrtException;
  }

  /** How much the detector is asked for (its {@link CallAdmission}). */
  interface Demand {
    /** Calls in progress, the asking one included. */
    int callsInProgress();

    /** {@link System#nanoTime} when a call last entered while another was in progress. */
    long lastOverlapNanos();
  }

  /** One run's session, the slots it holds and when it got them; give it back with {@link #release}. */
  record Slot(OrtSession session, int slots, long acquiredNanos) {}

  /** A caller counts as alone once no call has overlapped another for this many of the latest run times. */
  static final int QUIET_RUNS = 4;

  private final String modelName;
  private final OrtSession wide;
  private final Semaphore slots;
  private final int slotCount;
  /** Null in fixed mode. */
  private final NarrowSession narrowFactory;
  private final Demand demand;
  private volatile long lastRunNanos;
  private final Object opening = new Object();
  private volatile OrtSession narrow;
  private volatile boolean narrowFailed;
  /** One thread per slot; the slots bound the runs in flight, so the queue never holds more than the slot count. */
  private final ThreadPoolExecutor runThreads;

  private RunSlots(String modelName, OrtSession wide, int slotCount, NarrowSession narrowFactory, Demand demand) {
    this.modelName = modelName;
    this.wide = wide;
    this.slotCount = slotCount;
    this.slots = new Semaphore(slotCount, true);
    this.narrowFactory = narrowFactory;
    this.demand = demand;
    AtomicInteger made = new AtomicInteger();
    this.runThreads = new ThreadPoolExecutor(slotCount, slotCount, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(slotCount), r -> {
          Thread t = new Thread(r, "keydet-run-" + modelName + "-" + made.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.runThreads.allowCoreThreadTimeOut(true);
  }

  /** The most run threads that have existed at once (for tests). */
  int largestRunThreadCount() {
    return runThreads.getLargestPoolSize();
  }

  /** One network run on the session its slot gives. */
  interface SessionRun<T> {
    T run(OrtSession session) throws Exception;
  }

  /**
   * Waits for a slot ({@link #acquire}), runs {@code work} on that slot's session on a run thread, gives the slot
   * back and returns the result; the work's exceptions are rethrown as they are (checked ones wrapped in an {@link
   * InferenceException}).
   */
  <T> T run(SessionRun<T> work) {
    Slot slot = acquire();
    try {
      return onRunThread(() -> work.run(slot.session()));
    } finally {
      release(slot);
    }
  }

  private <T> T onRunThread(Callable<T> work) {
    Future<T> done = runThreads.submit(work);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return done.get();
        } catch (InterruptedException e) {
          interrupted = true; // the run goes on natively; wait for it and leave the flag set for the caller
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new InferenceException("run of model '" + modelName + "' failed: " + cause, cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** At most {@code maxConcurrentRuns} runs of {@code session} at once. */
  static RunSlots fixed(String modelName, OrtSession session, int maxConcurrentRuns) {
    if (maxConcurrentRuns <= 0) {
      throw new IllegalArgumentException("max concurrent runs must be > 0, got " + maxConcurrentRuns);
    }
    return new RunSlots(modelName, session, maxConcurrentRuns, null, null);
  }

  /**
   * Elastic over {@code cores} cores (at least 2): {@code wide} for a call alone, a narrow session from {@code
   * narrow} for overlapping calls, as {@code demand} tells.
   */
  static RunSlots elastic(String modelName, OrtSession wide, int cores, NarrowSession narrow, Demand demand) {
    if (cores < 2) {
      throw new IllegalArgumentException("elastic runs need at least 2 cores, got " + cores);
    }
    return new RunSlots(modelName, wide, cores, narrow, demand);
  }

  /** Whether runs switch between a wide and a narrow session. */
  boolean elastic() {
    return narrowFactory != null;
  }

  /** How many runs may be inside ONNX Runtime at once: the slots (elastic: one narrow run per core). */
  int maxConcurrentRuns() {
    return slotCount;
  }

  /** The narrow session if it has been opened (for tests and diagnostics), else null. */
  OrtSession narrowIfOpen() {
    return narrow;
  }

  /**
   * Waits (in arrival order) for a run's slots and says which session to run.
   *
   * @throws InferenceException when interrupted while waiting
   */
  Slot acquire() {
    if (narrowFactory == null) {
      CallAdmission.await(slots, 1, modelName);
      return new Slot(wide, 1, System.nanoTime());
    }
    if (narrowFailed || alone()) {
      CallAdmission.await(slots, slotCount, modelName);
      return new Slot(wide, slotCount, System.nanoTime());
    }
    CallAdmission.await(slots, 1, modelName);
    OrtSession s = narrowSession();
    if (s == null) {
      // could not open the narrow session: give the slot back and wait for all cores, as a wide run needs
      slots.release();
      CallAdmission.await(slots, slotCount, modelName);
      return new Slot(wide, slotCount, System.nanoTime());
    }
    return new Slot(s, 1, System.nanoTime());
  }

  /** Gives back what {@link #acquire} returned, exactly once per slot. */
  void release(Slot slot) {
    lastRunNanos = System.nanoTime() - slot.acquiredNanos();
    slots.release(slot.slots());
  }

  /**
   * Whether the asking call is alone and has been for a while: callers in a loop leave short gaps between their
   * calls, and a wide run started in such a gap would make the other callers wait for all cores, so the quiet
   * time must exceed a few run times before runs go wide again.
   */
  private boolean alone() {
    return demand.callsInProgress() <= 1
        && System.nanoTime() - demand.lastOverlapNanos() > QUIET_RUNS * lastRunNanos;
  }

  private OrtSession narrowSession() {
    OrtSession s = narrow;
    if (s != null || narrowFailed) {
      return s;
    }
    synchronized (opening) {
      if (narrow == null && !narrowFailed) {
        try {
          long t0 = System.nanoTime();
          narrow = narrowFactory.open();
          LOG.info("model '{}': concurrent callers, opened a one-thread session for side-by-side runs ({} ms)",
              modelName, (System.nanoTime() - t0) / 1_000_000);
        } catch (OrtException | RuntimeException e) {
          narrowFailed = true;
          LOG.warn("model '{}': cannot open a one-thread session for concurrent callers ({}); runs stay on one"
              + " session with all cores", modelName, e.getMessage());
        }
      }
      return narrow;
    }
  }

  @Override
  public void close() {
    runThreads.shutdown();
    OrtSession s = narrow;
    narrow = null;
    if (s != null) {
      try {
        s.close();
      } catch (OrtException e) {
        LOG.warn("closing the one-thread session of '{}' failed: {}", modelName, e.getMessage());
      }
    }
  }
}
