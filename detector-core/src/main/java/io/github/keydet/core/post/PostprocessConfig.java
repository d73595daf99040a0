package io.github.keydet.core.post;

import io.github.keydet.api.InvalidConfigException;

/**
 * Test-time settings applied after decoding, kept apart from the model (as mmdetection keeps its
 * {@code test_cfg} apart from weights).
 *
 * @param scoreThreshold detections scoring below this are dropped
 * @param nmsIouThreshold IoU above which a lower-scored box of the same class (or of any class, see {@code
 *     classAgnosticNms}) is suppressed; {@code 1} disables NMS
 * @param classAgnosticNms whether NMS compares boxes across classes
 * @param maxDetections at most this many detections per image, best first
 * @param clipToImage whether boxes and points are clipped to the image
 */
public record PostprocessConfig(
    float scoreThreshold, float nmsIouThreshold, boolean classAgnosticNms, int maxDetections, boolean clipToImage) {

  /** Validation. */
  public PostprocessConfig {
    if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
      throw new InvalidConfigException("score threshold must be in [0, 1], got " + scoreThreshold);
    }
    if (!(nmsIouThreshold > 0 && nmsIouThreshold <= 1)) {
      throw new InvalidConfigException("NMS IoU threshold must be in (0, 1], got " + nmsIouThreshold);
    }
    if (maxDetections <= 0) {
      throw new InvalidConfigException("max detections must be > 0, got " + maxDetections);
    }
  }

  /** Threshold 0.3, per-class NMS at IoU 0.5, at most 100 detections, clipped. */
  public static PostprocessConfig defaults() {
    return new PostprocessConfig(0.3f, 0.5f, false, 100, true);
  }

  public PostprocessConfig withScoreThreshold(float v) {
    return new PostprocessConfig(v, nmsIouThreshold, classAgnosticNms, maxDetections, clipToImage);
  }

  public PostprocessConfig withNmsIouThreshold(float v) {
    return new PostprocessConfig(scoreThreshold, v, classAgnosticNms, maxDetections, clipToImage);
  }

  public PostprocessConfig withClassAgnosticNms(boolean v) {
    return new PostprocessConfig(scoreThreshold, nmsIouThreshold, v, maxDetections, clipToImage);
  }

  public PostprocessConfig withMaxDetections(int v) {
    return new PostprocessConfig(scoreThreshold, nmsIouThreshold, classAgnosticNms, v, clipToImage);
  }

  public PostprocessConfig withClipToImage(boolean v) {
    return new PostprocessConfig(scoreThreshold, nmsIouThreshold, classAgnosticNms, maxDetections, v);
  }
}
