package io.github.keydet.core.pipeline;

import io.github.keydet.core.heads.Heads;
import java.util.Objects;

/**
 * One network run: its heads (valid until {@link #close()}, which releases the buffers behind them) and how long
 * the run took, split into copying the input into the runtime's buffers (booked as preprocessing) and the
 * network itself (inference). Not thread-safe; closing twice is harmless.
 */
public final class NetworkRun implements AutoCloseable {
  private final Heads heads;
  private final long inputNanos;
  private final long inferenceNanos;
  private final Runnable release;
  private boolean closed;

  /**
   * A run.
   *
   * @param heads the heads, canonical names
   * @param inputNanos time spent copying the input into the runtime's buffers
   * @param inferenceNanos time spent in the network
   * @param release frees what the heads read from (called once, by {@link #close()})
   */
  public NetworkRun(Heads heads, long inputNanos, long inferenceNanos, Runnable release) {
    this.heads = Objects.requireNonNull(heads, "heads");
    this.inputNanos = inputNanos;
    this.inferenceNanos = inferenceNanos;
    this.release = release == null ? () -> {} : release;
  }

  public Heads heads() {
    return heads;
  }

  public long inputNanos() {
    return inputNanos;
  }

  public long inferenceNanos() {
    return inferenceNanos;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      release.run();
    }
  }
}
