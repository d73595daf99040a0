package io.github.keydet.examples.viewer;

import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.onnx.OnnxDetector;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * How the viewer starts.
 *
 * @param initialPath an image, folder or video to open at once, or {@code null}
 * @param initialModel the model loaded at start
 * @param detectors builds a detector for a model choice; its score threshold must be {@code floor} (the viewer
 *     owns and closes what it returns)
 * @param floor the score threshold the detectors use, the slider's minimum
 * @param threshold the slider's initial value, in [floor, 1]
 * @param loader reads image files
 */
public record ViewerSettings(Path initialPath, ModelChoice initialModel, Function<ModelChoice, OnnxDetector> detectors,
    float floor, float threshold, ImageLoader loader) {
  /** Validation. */
  public ViewerSettings {
    if (initialModel == null || detectors == null || loader == null) {
      throw new InvalidConfigException("viewer settings need a model, a detector factory and an image loader");
    }
    if (!(floor >= 0 && floor <= threshold && threshold <= 1)) {
      throw new InvalidConfigException("viewer needs 0 <= floor <= threshold <= 1, got floor " + floor
          + " and threshold " + threshold);
    }
  }
}
