package io.github.keydet.api;

import java.util.List;

/**
 * The detections for one image, best first, with the image size they refer to and the time per stage.
 *
 * @param detections detections sorted by descending score
 * @param imageWidth width of the image the boxes are in
 * @param imageHeight height of the image the boxes are in
 * @param timings per-stage wall-clock times of the call (for a batch, the batch's times shared out evenly)
 */
public record DetectionResult(
    List<Detection> detections, int imageWidth, int imageHeight, StageTimings timings) {

  /** Defensive copy. */
  public DetectionResult {
    detections = List.copyOf(detections);
    timings = timings == null ? StageTimings.NONE : timings;
  }
}
