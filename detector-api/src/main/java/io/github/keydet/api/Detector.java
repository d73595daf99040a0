package io.github.keydet.api;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded keypoint detector. Implementations are immutable once built and safe to share between threads;
 * {@link #close()} releases the native model and must be called once no thread uses the detector any more.
 * Calling any method after close throws {@link IllegalStateException}.
 */
public interface Detector extends AutoCloseable {

  /** Detects objects in one image; boxes in the image's pixels, best first. */
  DetectionResult detect(BufferedImage image);

  /**
   * Detects objects in several images, running the network on batches when the model allows it. The result
   * list is in input order.
   */
  default List<DetectionResult> detectAll(List<BufferedImage> images) {
    List<DetectionResult> results = new ArrayList<>(images.size());
    for (BufferedImage image : images) {
      results.add(detect(image));
    }
    return results;
  }

  /**
   * Reads an image file with {@link ImageLoader#defaults()} and detects objects in it; a damaged, truncated,
   * oversized or CMYK file raises {@link InvalidInputException} (see {@link ImageLoader}).
   */
  default DetectionResult detect(Path imageFile) {
    return detect(ImageInputs.read(imageFile));
  }

  /** Decodes an encoded image (PNG, JPEG...) and detects objects in it. */
  default DetectionResult detect(byte[] encodedImage) {
    return detect(ImageInputs.read(encodedImage));
  }

  /** Reads an encoded image from a stream (not closed) and detects objects in it. */
  default DetectionResult detect(InputStream encodedImage) {
    return detect(ImageInputs.read(encodedImage));
  }

  /** What this detector runs. */
  ModelInfo modelInfo();

  /** Releases native resources. Idempotent. */
  @Override
  void close();
}
