package io.github.keydet.core.eval;

import io.github.keydet.api.InvalidInputException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ground truth: the {@code images}, {@code categories} and {@code annotations} of a COCO instances file.
 * Immutable.
 *
 * @param images images (ids unique)
 * @param categories categories (ids unique)
 * @param annotations ground-truth objects, in file order
 */
public record CocoDataset(List<CocoImage> images, List<CocoCategory> categories, List<CocoAnnotation> annotations) {

  /** Copies and checks unique ids. */
  public CocoDataset {
    images = List.copyOf(images);
    categories = List.copyOf(categories);
    annotations = List.copyOf(annotations);
    Map<Long, CocoImage> seen = new HashMap<>();
    for (CocoImage im : images) {
      if (seen.put(im.id(), im) != null) {
        throw new InvalidInputException("duplicate image id " + im.id());
      }
    }
    Map<Long, CocoCategory> seenC = new HashMap<>();
    for (CocoCategory c : categories) {
      if (seenC.put(c.id(), c) != null) {
        throw new InvalidInputException("duplicate category id " + c.id());
      }
    }
  }

  /** Image by id, or {@code null}. */
  public CocoImage image(long id) {
    for (CocoImage im : images) {
      if (im.id() == id) {
        return im;
      }
    }
    return null;
  }
}
