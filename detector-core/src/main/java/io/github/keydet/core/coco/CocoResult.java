package io.github.keydet.core.coco;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.InstanceMask;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.Keypoint;
import java.util.List;

/**
 * One detection in COCO's results format.
 *
 * @param imageId image id of the annotations file
 * @param categoryId COCO category id (not the model's 0-based channel)
 * @param bbox (x, y, width, height) in image pixels {@code [4]}, or {@code null} for mask-only results
 * @param score confidence (any finite value; only the order matters)
 * @param segmentation the mask, or {@code null} (segm evaluation then uses the box as a polygon, as the toolkit)
 * @param keypoints {@code [J * 3]} (x, y, v) in image pixels for keypoint evaluation (only x and y are read), or
 *     {@code null}
 */
public record CocoResult(
    long imageId, long categoryId, double[] bbox, double score, Segmentation segmentation, double[] keypoints) {

  /** Checks the box, the keypoints and the score; copies the arrays. */
  public CocoResult {
    if (Double.isNaN(score)) {
      throw new InvalidInputException("result for image " + imageId + ": score is NaN");
    }
    if (bbox != null) {
      if (bbox.length != 4) {
        throw new InvalidInputException(
            "result for image " + imageId + ": bbox must have 4 numbers, got " + bbox.length);
      }
      for (double v : bbox) {
        if (!Double.isFinite(v)) {
          throw new InvalidInputException("result for image " + imageId + ": bbox has a non-finite value");
        }
      }
      if (bbox[2] < 0 || bbox[3] < 0) {
        throw new InvalidInputException(
            "result for image " + imageId + ": bbox has negative size w=" + bbox[2] + ", h=" + bbox[3]);
      }
      bbox = bbox.clone();
    } else if (segmentation == null && keypoints == null) {
      throw new InvalidInputException(
          "result for image " + imageId + " has neither bbox nor segmentation nor keypoints");
    }
    if (keypoints != null) {
      if (keypoints.length == 0 || keypoints.length % 3 != 0) {
        throw new InvalidInputException("result for image " + imageId
            + ": keypoints must be (x, y, v) triplets, got " + keypoints.length + " numbers");
      }
      for (double v : keypoints) {
        if (!Double.isFinite(v)) {
          throw new InvalidInputException("result for image " + imageId + ": keypoints have a non-finite value");
        }
      }
      keypoints = keypoints.clone();
    }
  }

  /** A result without keypoints. */
  public CocoResult(long imageId, long categoryId, double[] bbox, double score, Segmentation segmentation) {
    this(imageId, categoryId, bbox, score, segmentation, null);
  }

  /**
   * A result from a KeyDet detection: the box becomes (x1, y1, x2 - x1, y2 - y1), the instance mask (as RLE),
   * else a non-empty polygon (e.g. ExtremeNet's octagon), the segmentation, and the detection's keypoints, if any,
   * (x, y, 1) triplets (COCO's keypoint results; v is not read by the evaluation).
   *
   * @param categoryId the COCO category id for the detection's class (map model channels to COCO ids first)
   */
  public static CocoResult of(long imageId, long categoryId, Detection detection) {
    BoundingBox b = detection.box();
    double[] box = {b.x1(), b.y1(), (double) b.x2() - b.x1(), (double) b.y2() - b.y1()};
    Segmentation seg = null;
    List<Keypoint> poly = detection.polygon();
    if (detection.mask() != null) { // an instance mask (e.g. DEXTR) wins over the octagon
      InstanceMask m = detection.mask();
      seg = new Segmentation.RunLength(Rle.of(m.height(), m.width(), m.rleCounts()));
    } else if (!poly.isEmpty()) {
      double[] xy = new double[2 * poly.size()];
      for (int i = 0; i < poly.size(); i++) {
        xy[2 * i] = poly.get(i).x();
        xy[2 * i + 1] = poly.get(i).y();
      }
      seg = new Segmentation.Polygons(List.of(xy));
    }
    List<Keypoint> kps = detection.keypoints();
    double[] xyv = null;
    if (!kps.isEmpty()) {
      xyv = new double[3 * kps.size()];
      for (int i = 0; i < kps.size(); i++) {
        xyv[3 * i] = kps.get(i).x();
        xyv[3 * i + 1] = kps.get(i).y();
        xyv[3 * i + 2] = 1;
      }
    }
    return new CocoResult(imageId, categoryId, box, detection.score(), seg, xyv);
  }
}
