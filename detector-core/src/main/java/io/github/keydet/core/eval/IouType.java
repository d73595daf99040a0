package io.github.keydet.core.eval;

/** What is compared between detections and ground truth. */
public enum IouType {
  /** Boxes (x, y, w, h); crowd overlap is intersection / detection area. */
  BBOX,
  /** Masks from polygons or RLE, rasterised on the image grid; crowd overlap as for boxes. */
  SEGM;

  /** Parses {@code bbox} or {@code segm} (case-insensitive). */
  public static IouType parse(String s) {
    for (IouType t : values()) {
      if (t.name().equalsIgnoreCase(s)) {
        return t;
      }
    }
    throw new io.github.keydet.api.InvalidConfigException("iou type must be bbox or segm, got '" + s + "'");
  }
}
