package io.github.keydet.core.coco;

/**
 * An entry of a COCO file's {@code categories} list. Its 0-based class index (model channel) is its position
 * among the dataset's categories sorted by id: {@link CocoDataset#classIndex(long)}.
 *
 * @param id category id (COCO's own ids, 1..90 for COCO-80, not model channels)
 * @param name category name
 */
public record CocoCategory(long id, String name) {
  /** Null name becomes empty. */
  public CocoCategory {
    name = name == null ? "" : name;
  }
}
