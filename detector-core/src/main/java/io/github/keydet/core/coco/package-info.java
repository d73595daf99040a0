/**
 * COCO annotations in: reading {@code instances_*.json} / {@code person_keypoints_*.json} with Jackson, decoding
 * RLE masks, turning one image's annotations into {@link io.github.keydet.core.target.ObjectAnnotation}s for any
 * family, and writing a sample's targets as {@code .npy} files and overlay PNGs ({@link
 * io.github.keydet.core.coco.TargetWriter}).
 */
package io.github.keydet.core.coco;
