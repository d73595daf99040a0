package io.github.keydet.core.pipeline;

import io.github.keydet.api.StageTimings;
import java.util.function.Supplier;

/**
 * Wall-clock time per stage of one {@code detect} call (preprocess, inference, decode, postprocess), in
 * nanoseconds. One clock per call: not thread-safe, not shared.
 */
public final class StageClock {
  /** The four stages CenterNet's detector reports (pre / net / dec / post). */
  public enum Stage {
    /** Image to input tensor, mirroring the input, copying it into the runtime's buffers. */
    PREPROCESS,
    /** The network run. */
    INFERENCE,
    /** Heads to candidates: flip-test merge, decoding, Triplets' center check. */
    DECODE,
    /** Back to image pixels, multi-scale merge, thresholds, NMS. */
    POSTPROCESS
  }

  private final long[] nanos = new long[Stage.values().length];

  /** Adds {@code elapsed} nanoseconds to a stage. */
  public void add(Stage stage, long elapsed) {
    nanos[stage.ordinal()] += elapsed;
  }

  /** Runs {@code work} and books its time to {@code stage}. */
  public <T> T time(Stage stage, Supplier<T> work) {
    long t0 = System.nanoTime();
    try {
      return work.get();
    } finally {
      add(stage, System.nanoTime() - t0);
    }
  }

  /** Nanoseconds booked to a stage so far. */
  public long nanos(Stage stage) {
    return nanos[stage.ordinal()];
  }

  /** Each stage's time divided by {@code images} (the share of one image of a batch). */
  public StageTimings perImage(int images) {
    int n = Math.max(1, images);
    return new StageTimings(nanos[0] / n, nanos[1] / n, nanos[2] / n, nanos[3] / n);
  }
}
