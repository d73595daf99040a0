package io.github.keydet.core.eval;

/**
 * An entry of a COCO file's {@code categories}.
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
