package io.github.keydet.core.coco;

/**
 * A COCO category and its 0-based class index: categories sorted by id get indices 0, 1, 2... (CenterNet's {@code
 * cat_ids}; for COCO's 80 categories this is the standard COCO-80 order).
 *
 * @param id COCO category id
 * @param name category name
 * @param index 0-based class index (model channel)
 */
public record CocoCategory(long id, String name, int index) {}
