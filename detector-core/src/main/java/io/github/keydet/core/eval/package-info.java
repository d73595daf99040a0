/**
 * COCO detection evaluation ({@code bbox}, {@code segm} and {@code keypoints}) with the rules of the official toolkit
 * (pycocotools {@code COCOeval}): per image and category, detections in stable descending score order cut at
 * maxDets, greedy matching against ground truth sorted with ignored objects last, crowd regions that absorb many
 * detections, area ranges by the ground truth's {@code area} field, 101-point interpolated precision, and IoU /
 * recall thresholds with numpy's {@code linspace} values.
 *
 * <p>Inputs: {@link io.github.keydet.core.coco.CocoDataset} (an {@code instances_*.json} file) and
 * {@link io.github.keydet.core.coco.CocoResult}s (a results file, or detections in memory). Boxes here are
 * COCO's (x, y, width, height) in image pixels; masks are polygons or run-length encodings ({@link
 * io.github.keydet.core.coco.Rle}) rasterised exactly as the toolkit's {@code maskApi.c}; keypoints are (x, y, v)
 * triplets compared by object keypoint similarity with the 17 COCO person sigmas. Entry point:
 * {@link io.github.keydet.core.eval.CocoEvaluator}.
 */
package io.github.keydet.core.eval;
