package io.github.keydet.core.image;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.image.ImageTransform;

/**
 * Where one network run's output map lies in the source image: output-map cell coordinates times the stride give
 * input pixels, which {@code transform} maps to image pixels. Lets a decoder apply rules the originals state in
 * image pixels (clipping, areas) while its output stays in map cells.
 *
 * @param transform the run's image-to-input transform
 * @param stride input pixels per output-map cell
 */
public record ImageFrame(ImageTransform transform, int stride) {
  /** Validates. */
  public ImageFrame {
    if (transform == null) {
      throw new InvalidConfigException("image frame needs a transform");
    }
    if (stride <= 0) {
      throw new InvalidConfigException("stride must be > 0, got " + stride);
    }
  }

  /** Image x of an output-map x. */
  public double toImageX(double mapX) {
    return transform.toImageX(mapX * stride);
  }

  /** Image y of an output-map y. */
  public double toImageY(double mapY) {
    return transform.toImageY(mapY * stride);
  }

  /** Output-map x of an image x. */
  public double toMapX(double imageX) {
    return transform.toInputX(imageX) / stride;
  }

  /** Output-map y of an image y. */
  public double toMapY(double imageY) {
    return transform.toInputY(imageY) / stride;
  }

  /** Source image width in pixels. */
  public int imageWidth() {
    return transform.imageWidth();
  }

  /** Source image height in pixels. */
  public int imageHeight() {
    return transform.imageHeight();
  }
}
