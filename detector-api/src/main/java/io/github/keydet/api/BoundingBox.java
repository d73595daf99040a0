package io.github.keydet.api;

/**
 * An axis-aligned box (x1, y1, x2, y2) in float pixels; x2 &gt;= x1, y2 &gt;= y1. Width is {@code x2 - x1} (no +1
 * pixel convention anywhere in KeyDet: this class holds the one IoU formula the library uses).
 *
 * @param x1 left
 * @param y1 top
 * @param x2 right
 * @param y2 bottom
 */
public record BoundingBox(float x1, float y1, float x2, float y2) {

  /** Validates finiteness and ordering. */
  public BoundingBox {
    if (!Float.isFinite(x1) || !Float.isFinite(y1) || !Float.isFinite(x2) || !Float.isFinite(y2)) {
      throw new InvalidInputException(
          "box coordinates must be finite, got (" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + ")");
    }
    if (x2 < x1 || y2 < y1) {
      throw new InvalidInputException(
          "box must have x2 >= x1 and y2 >= y1, got (" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + ")");
    }
  }

  /** Box from COCO's (x, y, width, height). */
  public static BoundingBox ofXywh(float x, float y, float width, float height) {
    return new BoundingBox(x, y, x + width, y + height);
  }

  public float width() {
    return x2 - x1;
  }

  public float height() {
    return y2 - y1;
  }

  public float area() {
    return width() * height();
  }

  public float centerX() {
    return (x1 + x2) / 2f;
  }

  public float centerY() {
    return (y1 + y2) / 2f;
  }

  /** Intersection over union with another box; 0 when both are empty. */
  public double iou(BoundingBox other) {
    return iou(x1, y1, x2, y2, other.x1, other.y1, other.x2, other.y2);
  }

  /** This box clipped to [0, width] x [0, height]. */
  public BoundingBox clip(float width, float height) {
    return new BoundingBox(
        clamp(x1, width), clamp(y1, height), clamp(x2, width), clamp(y2, height));
  }

  private static float clamp(float v, float max) {
    return Math.max(0f, Math.min(max, v));
  }

  /**
   * The library's single IoU formula on raw coordinates (x1, y1, x2, y2), widths without +1. Returns 0 when the
   * union is empty. Hot loops elsewhere in KeyDet call this, so there is exactly one definition.
   */
  public static double iou(
      double ax1, double ay1, double ax2, double ay2, double bx1, double by1, double bx2, double by2) {
    double iw = Math.min(ax2, bx2) - Math.max(ax1, bx1);
    double ih = Math.min(ay2, by2) - Math.max(ay1, by1);
    if (iw <= 0 || ih <= 0) {
      return 0.0;
    }
    double inter = iw * ih;
    double union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
    return union > 0 ? inter / union : 0.0;
  }
}
