/**
 * The COCO dataset model and its one reader: {@link io.github.keydet.core.coco.CocoJson} reads annotations files
 * ({@code instances_*.json} / {@code person_keypoints_*.json}) into a {@link io.github.keydet.core.coco.CocoDataset}
 * (images, categories, annotations with polygon or RLE segmentation, crowd flag, area, keypoints) and results files
 * into {@link io.github.keydet.core.coco.CocoResult}s; masks are {@link io.github.keydet.core.coco.Rle}s, rasterised
 * as the toolkit's {@code maskApi.c}. Used by COCO evaluation ({@code core.eval}) and by the training targets:
 * {@link io.github.keydet.core.coco.CocoObjects} turns one image's annotations into {@link
 * io.github.keydet.core.encode.ObjectAnnotation}s with what a family reads from them ({@link
 * io.github.keydet.core.coco.CocoObjects.Extras}); {@code core.training.TargetWriter} writes a sample's targets.
 */
package io.github.keydet.core.coco;
