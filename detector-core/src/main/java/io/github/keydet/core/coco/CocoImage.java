package io.github.keydet.core.coco;

/**
 * An entry of a COCO file's {@code images} list.
 *
 * @param id image id
 * @param fileName file name relative to the image folder
 * @param width width in pixels
 * @param height height in pixels
 */
public record CocoImage(long id, String fileName, int width, int height) {}
