package io.github.keydet.api;

import java.util.List;

/**
 * What a loaded detector runs.
 *
 * @param name a display name (file name or the name the caller gave)
 * @param family decoder family
 * @param inputWidth network input width in pixels (0 when the model takes any size)
 * @param inputHeight network input height in pixels (0 when the model takes any size)
 * @param labels class labels, index = class channel
 * @param executionProvider the engine's device actually used, e.g. {@code "CPU"} or {@code "CUDA:0"}
 */
public record ModelInfo(
    String name,
    ModelFamily family,
    int inputWidth,
    int inputHeight,
    List<String> labels,
    String executionProvider) {

  /** Defensive copy. */
  public ModelInfo {
    labels = List.copyOf(labels);
  }
}
