package io.github.keydet.examples.cli;

import io.github.keydet.api.Detection;
import io.github.keydet.api.Keypoint;
import io.github.keydet.examples.SkeletonPainter;
import java.util.Map;

/**
 * COCO keypoint results ({@code person_keypoints} style) for detections that carry a COCO person's 17 keypoints:
 * {@code category_id} 1 (person), {@code keypoints} as 51 numbers (x, y, v) in image pixels with v = 1 (COCO's
 * evaluation reads only x and y of results), and {@code keypoint_scores}, the model's 17 keypoint scores.
 */
final class PoseResults {
  private PoseResults() {}

  /** Adds the keypoint fields to a results row when {@code d} is a COCO person with keypoints. */
  static void addKeypoints(Map<String, Object> row, Detection d) {
    if (!SkeletonPainter.isCocoPerson(d.keypoints())) {
      return;
    }
    double[] kps = new double[3 * SkeletonPainter.COCO_KEYPOINTS];
    double[] scores = new double[SkeletonPainter.COCO_KEYPOINTS];
    for (int j = 0; j < SkeletonPainter.COCO_KEYPOINTS; j++) {
      Keypoint k = d.keypoints().get(j);
      kps[3 * j] = round(k.x());
      kps[3 * j + 1] = round(k.y());
      kps[3 * j + 2] = 1;
      scores[j] = round(k.score());
    }
    row.put("category_id", 1);
    row.put("keypoints", kps);
    row.put("keypoint_scores", scores);
  }

  private static double round(float v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
