package io.github.keydet.core.eval;

/** What is compared between detections and ground truth. */
public enum IouType {
  /** Boxes (x, y, w, h); crowd overlap is intersection / detection area. */
  BBOX,
  /** Masks from polygons or RLE, rasterised on the image grid; crowd overlap as for boxes. */
  SEGM,
  /**
   * Keypoints ({@code person_keypoints} files): object keypoint similarity (OKS) of the results' (x, y) with the
   * labelled ground-truth keypoints, with per-keypoint sigmas ({@link CocoEvalParams#keypoints()}).
   */
  KEYPOINTS;

  /** Parses {@code bbox}, {@code segm} or {@code keypoints} (case-insensitive). */
  public static IouType parse(String s) {
    for (IouType t : values()) {
      if (t.name().equalsIgnoreCase(s)) {
        return t;
      }
    }
    throw new io.github.keydet.api.InvalidConfigException(
        "iou type must be bbox, segm or keypoints, got '" + s + "'");
  }
}
