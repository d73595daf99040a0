package io.github.keydet.core.coco;

import io.github.keydet.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A COCO annotations file in memory: the {@code images}, {@code categories} and {@code annotations} of an
 * {@code instances_*.json} or {@code person_keypoints_*.json} file ({@link CocoJson#readAnnotations}). Categories
 * sorted by id get the 0-based class indices 0, 1, 2... (CenterNet's {@code cat_ids}; for COCO's 80 categories the
 * standard COCO-80 order). Immutable and thread-safe.
 */
public final class CocoDataset {
  private final List<CocoImage> images;
  private final List<CocoCategory> categories;
  private final List<CocoAnnotation> annotations;
  private final Map<Long, CocoImage> imageById = new HashMap<>();
  private final Map<Long, Integer> classIndex = new LinkedHashMap<>();
  private final Map<Long, List<CocoAnnotation>> byImage;

  /**
   * Copies the lists and checks that ids are unique.
   *
   * @param images images, in file order
   * @param categories categories, in file order
   * @param annotations ground-truth objects, in file order
   * @throws InvalidInputException for a duplicate image or category id
   */
  public CocoDataset(List<CocoImage> images, List<CocoCategory> categories, List<CocoAnnotation> annotations) {
    this.images = List.copyOf(images);
    this.categories = List.copyOf(categories);
    this.annotations = List.copyOf(annotations);
    for (CocoImage im : this.images) {
      if (imageById.put(im.id(), im) != null) {
        throw new InvalidInputException("duplicate image id " + im.id());
      }
    }
    Map<Long, CocoCategory> seen = new HashMap<>();
    for (CocoCategory c : this.categories) {
      if (seen.put(c.id(), c) != null) {
        throw new InvalidInputException("duplicate category id " + c.id());
      }
    }
    this.categories.stream().mapToLong(CocoCategory::id).sorted()
        .forEach(id -> classIndex.put(id, classIndex.size()));
    Map<Long, List<CocoAnnotation>> groups = new HashMap<>();
    for (CocoAnnotation a : this.annotations) {
      groups.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
    }
    groups.replaceAll((k, v) -> List.copyOf(v));
    this.byImage = Collections.unmodifiableMap(groups);
  }

  /** Images, in file order. */
  public List<CocoImage> images() {
    return images;
  }

  /** Categories, in file order. */
  public List<CocoCategory> categories() {
    return categories;
  }

  /** All ground-truth objects, in file order. */
  public List<CocoAnnotation> annotations() {
    return annotations;
  }

  /**
   * The image with that id.
   *
   * @throws InvalidInputException if there is none
   */
  public CocoImage image(long id) {
    CocoImage im = imageById.get(id);
    if (im == null) {
      throw new InvalidInputException(
          "no image with id " + id + " in the annotations (" + images.size() + " images)");
    }
    return im;
  }

  /** The annotations of an image, in file order (empty if it has none). */
  public List<CocoAnnotation> annotations(long imageId) {
    return byImage.getOrDefault(imageId, List.of());
  }

  /**
   * The 0-based class index (model channel) of a category: its position among the categories sorted by id.
   *
   * @throws InvalidInputException for an id that is not among the categories
   */
  public int classIndex(long categoryId) {
    Integer i = classIndex.get(categoryId);
    if (i == null) {
      throw new InvalidInputException(
          "category id " + categoryId + " is not in the categories " + classIndex.keySet());
    }
    return i;
  }

  /** Category names in class-index order. */
  public List<String> classNames() {
    Map<Long, String> names = new HashMap<>();
    categories.forEach(c -> names.put(c.id(), c.name()));
    List<String> r = new ArrayList<>();
    classIndex.keySet().forEach(id -> r.add(names.get(id)));
    return r;
  }
}
