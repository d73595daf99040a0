package io.github.keydet.core.coco;

import java.util.List;

/**
 * An entry of a COCO file's {@code annotations} list.
 *
 * @param id annotation id
 * @param imageId image id
 * @param categoryId COCO category id
 * @param bbox {@code [x, y, w, h]} in image pixels
 * @param crowd {@code iscrowd == 1}
 * @param polygons polygon segmentation, each {@code [x0, y0, x1, y1, ...]}; empty if none or RLE
 * @param rle RLE segmentation, or null
 * @param keypoints {@code [J * 3]} (x, y, v), or null
 */
public record CocoAnnotation(
    long id,
    long imageId,
    long categoryId,
    double[] bbox,
    boolean crowd,
    List<double[]> polygons,
    CocoRle rle,
    float[] keypoints) {}
