package io.github.keydet.examples.viewer;

import io.github.keydet.api.Detection;
import io.github.keydet.api.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * The detections of one image down to a low score floor, so that a score threshold at or above the floor can be
 * applied without running the network again. The detector ran with its score threshold at {@code floor}: its NMS
 * only lets a box suppress a lower-scoring one, and its cap keeps the best, so the detections scoring at least
 * {@code t} are exactly what the same detector gives with threshold {@code t} (for {@code t >= floor}).
 *
 * @param all the detector's detections at threshold {@code floor}, best first, boxes in image pixels
 * @param floor the score threshold they were computed with
 */
public record ScoredDetections(List<Detection> all, float floor) {
  /** The score floor the viewer runs detectors with. */
  public static final float DEFAULT_FLOOR = 0.05f;

  /** Defensive copy. */
  public ScoredDetections {
    all = List.copyOf(all);
    if (!(floor >= 0 && floor <= 1)) {
      throw new InvalidConfigException("score floor must be in [0, 1], got " + floor);
    }
  }

  /**
   * The detections scoring at least {@code threshold}, in the detector's order.
   *
   * @throws InvalidConfigException for a threshold below the floor (those detections were never computed)
   */
  public List<Detection> above(float threshold) {
    if (!(threshold >= floor) || threshold > 1) {
      throw new InvalidConfigException("threshold must be in [" + floor + ", 1] (the floor the detections were"
          + " computed with), got " + threshold);
    }
    List<Detection> out = new ArrayList<>();
    for (Detection d : all) {
      if (d.score() >= threshold) {
        out.add(d);
      }
    }
    return out;
  }
}
