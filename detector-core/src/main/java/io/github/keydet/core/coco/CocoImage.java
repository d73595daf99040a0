package io.github.keydet.core.coco;

/**
 * An entry of a COCO file's {@code images} list.
 *
 * @param id image id
 * @param width width in pixels (needed for masks)
 * @param height height in pixels (needed for masks)
 * @param fileName {@code file_name} relative to the image folder, or {@code ""}
 */
public record CocoImage(long id, int width, int height, String fileName) {
  /** Null file name becomes empty. */
  public CocoImage {
    fileName = fileName == null ? "" : fileName;
  }
}
