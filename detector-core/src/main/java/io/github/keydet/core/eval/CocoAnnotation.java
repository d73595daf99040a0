package io.github.keydet.core.eval;

/**
 * A ground-truth object of a COCO file's {@code annotations}.
 *
 * @param id annotation id (the toolkit treats a match to id 0 as no match; COCO ids start at 1)
 * @param imageId image id
 * @param categoryId category id
 * @param bbox (x, y, width, height) in image pixels, {@code [4]}
 * @param area the {@code area} field, used for the small / medium / large split (not recomputed)
 * @param crowd {@code iscrowd}: an ignored region that may absorb many detections
 * @param segmentation the mask, or {@code null} (needed only for segm evaluation)
 */
public record CocoAnnotation(
    long id, long imageId, long categoryId, double[] bbox, double area, boolean crowd, Segmentation segmentation) {
  /** Checks the box. */
  public CocoAnnotation {
    if (bbox == null || bbox.length != 4) {
      throw new io.github.keydet.api.InvalidInputException("annotation " + id + ": bbox must have 4 numbers");
    }
    bbox = bbox.clone();
  }
}
