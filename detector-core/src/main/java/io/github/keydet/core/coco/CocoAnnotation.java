package io.github.keydet.core.coco;

import io.github.keydet.api.InvalidInputException;

/**
 * A ground-truth object of a COCO file's {@code annotations} list.
 *
 * @param id annotation id (the toolkit treats a match to id 0 as no match; COCO ids start at 1)
 * @param imageId image id
 * @param categoryId category id
 * @param bbox (x, y, width, height) in image pixels, {@code [4]}
 * @param area the {@code area} field, used for the small / medium / large split (not recomputed); NaN when the
 *     file has none (evaluation then refuses the object)
 * @param crowd {@code iscrowd}: an ignored region that may absorb many detections
 * @param segmentation the mask (polygons or RLE), or {@code null}
 * @param keypoints {@code [J * 3]} (x, y, v) in image pixels (v: 0 not labelled, 1 labelled but hidden, 2
 *     visible), or {@code null}
 * @param numKeypoints the {@code num_keypoints} field (labelled keypoints; keypoint evaluation ignores objects with
 *     0), or -1 when the file has none
 */
public record CocoAnnotation(
    long id,
    long imageId,
    long categoryId,
    double[] bbox,
    double area,
    boolean crowd,
    Segmentation segmentation,
    double[] keypoints,
    int numKeypoints) {

  /** Checks the box and the keypoints' length; copies the arrays. */
  public CocoAnnotation {
    if (bbox == null || bbox.length != 4) {
      throw new InvalidInputException("annotation " + id + ": bbox must have 4 numbers");
    }
    if (keypoints != null && keypoints.length % 3 != 0) {
      throw new InvalidInputException(
          "annotation " + id + ": keypoints must be (x, y, v) triplets, got " + keypoints.length + " numbers");
    }
    bbox = bbox.clone();
    keypoints = keypoints == null ? null : keypoints.clone();
  }

  /** The keypoints as floats {@code [J * 3]} (x, y, v), or {@code null}: what training targets take. */
  public float[] keypointsAsFloats() {
    if (keypoints == null) {
      return null;
    }
    float[] f = new float[keypoints.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) keypoints[i];
    }
    return f;
  }

  /** An object without keypoints. */
  public CocoAnnotation(
      long id, long imageId, long categoryId, double[] bbox, double area, boolean crowd, Segmentation segmentation) {
    this(id, imageId, categoryId, bbox, area, crowd, segmentation, null, -1);
  }
}
