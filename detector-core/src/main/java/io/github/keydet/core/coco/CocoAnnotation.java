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
 * @param keypoints {@code [J * 3]} (x, y, v) in image pixels, or {@code null}
 */
public record CocoAnnotation(
    long id,
    long imageId,
    long categoryId,
    double[] bbox,
    double area,
    boolean crowd,
    Segmentation segmentation,
    float[] keypoints) {

  /** Checks the box; copies the arrays. */
  public CocoAnnotation {
    if (bbox == null || bbox.length != 4) {
      throw new InvalidInputException("annotation " + id + ": bbox must have 4 numbers");
    }
    bbox = bbox.clone();
    keypoints = keypoints == null ? null : keypoints.clone();
  }

  /** An object without keypoints. */
  public CocoAnnotation(
      long id, long imageId, long categoryId, double[] bbox, double area, boolean crowd, Segmentation segmentation) {
    this(id, imageId, categoryId, bbox, area, crowd, segmentation, null);
  }
}
