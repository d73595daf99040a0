/**
 * Box suppression after decoding: hard NMS (per class or class-agnostic), soft-NMS (linear and Gaussian, as in
 * Bodla et al. and the CornerNet/CenterNet Cython code), CornerNet's soft-NMS with weighted box merging, and
 * CenterNet's "max detections per image" cut by the score of the k-th best.
 *
 * <p>Functions are static and stateless; they work on flat arrays: boxes {@code [n * 4]} as (x1, y1, x2, y2)
 * in any one pixel frame, scores {@code [n]}. Inputs are never modified. Every overlap is measured with the
 * library's single formula {@link io.github.keydet.api.BoundingBox#iou(double, double, double, double, double,
 * double, double, double)} (no +1 pixel), so results match the originals' algorithms but not their "+1"
 * overlaps.
 */
package io.github.keydet.core.nms;
