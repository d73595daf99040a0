package io.github.keydet.core.pipeline;

import java.nio.FloatBuffer;

/**
 * The network as the test-time pipeline sees it: an input batch in, the family's heads out. detector-onnx runs it
 * through ONNX Runtime; tests pass a fake. Implementations are thread-safe when the pipeline is shared.
 *
 * <p>Input buffers: the pipeline asks {@link #borrowInput} for a buffer, the preprocessor writes the input into
 * it, {@link #run} reads it, and the pipeline hands it back with {@link #returnInput} once the run (and a flip
 * test's mirroring) is over. A runtime that reads direct memory lends pooled direct buffers, so that no
 * input-sized array is allocated or copied per call; the defaults lend a fresh heap buffer.
 */
@FunctionalInterface
public interface Network {
  /**
   * Runs the network on one input batch.
   *
   * @param input the input tensor's values from index 0 to its limit, in the spec's layout ({@code [N, 3, H, W]}
   *     or {@code [N, H, W, 3]}); read during the call only
   * @param shape its shape
   * @return the run, whose heads (canonical names, batch N) stay valid until it is closed
   * @throws io.github.keydet.api.InferenceException when the runtime fails
   */
  NetworkRun run(FloatBuffer input, long[] shape);

  /** A buffer of at least {@code floats} elements for an input; give it back with {@link #returnInput}. */
  default FloatBuffer borrowInput(int floats) {
    return FloatBuffer.allocate(floats);
  }

  /** Gives back a buffer from {@link #borrowInput} that no run reads any more. */
  default void returnInput(FloatBuffer buffer) {}
}
