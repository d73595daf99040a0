package io.github.keydet.core.pipeline;

/**
 * The network as the test-time pipeline sees it: an input batch in, the family's heads out. detector-onnx runs it
 * through ONNX Runtime; tests pass a fake. Implementations are thread-safe when the pipeline is shared.
 */
@FunctionalInterface
public interface Network {
  /**
   * Runs the network on one input batch.
   *
   * @param input the input tensor's values, in the spec's layout ({@code [N, 3, H, W]} or {@code [N, H, W, 3]});
   *     not kept after the call returns
   * @param shape its shape
   * @return the run, whose heads (canonical names, batch N) stay valid until it is closed
   * @throws io.github.keydet.api.InferenceException when the runtime fails
   */
  NetworkRun run(float[] input, long[] shape);
}
