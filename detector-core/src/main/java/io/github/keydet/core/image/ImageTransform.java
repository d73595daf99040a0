package io.github.keydet.core.image;

/**
 * The axis-aligned affine map from an image to the network input: {@code input = scale * image + offset} per
 * axis, and its inverse. Every preprocessing mode KeyDet implements (affine warp without rotation, letterbox,
 * pad) is of this form. Doubles, as CenterNet applies its inverse transform in float64.
 *
 * @param scaleX input pixels per image pixel, horizontally
 * @param scaleY input pixels per image pixel, vertically
 * @param offsetX input x of image x = 0
 * @param offsetY input y of image y = 0
 * @param imageWidth width of the source image
 * @param imageHeight height of the source image
 */
public record ImageTransform(
    double scaleX, double scaleY, double offsetX, double offsetY, int imageWidth, int imageHeight) {

  /** Image x of an input x. */
  public double toImageX(double inputX) {
    return (inputX - offsetX) / scaleX;
  }

  /** Image y of an input y. */
  public double toImageY(double inputY) {
    return (inputY - offsetY) / scaleY;
  }

  /** Input x of an image x. */
  public double toInputX(double imageX) {
    return imageX * scaleX + offsetX;
  }

  /** Input y of an image y. */
  public double toInputY(double imageY) {
    return imageY * scaleY + offsetY;
  }
}
