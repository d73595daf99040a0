package io.github.keydet.core.eval;

/**
 * An entry of a COCO file's {@code images}.
 *
 * @param id image id
 * @param width width in pixels (needed for masks)
 * @param height height in pixels (needed for masks)
 * @param fileName {@code file_name}, or {@code ""}
 */
public record CocoImage(long id, int width, int height, String fileName) {
  /** Null file name becomes empty. */
  public CocoImage {
    fileName = fileName == null ? "" : fileName;
  }
}
