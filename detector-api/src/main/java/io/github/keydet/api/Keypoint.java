package io.github.keydet.api;

/**
 * A point of a detection in image pixels: a body joint (pose models, COCO order) or an extreme point
 * (ExtremeNet: top, left, bottom, right), with its own confidence.
 *
 * @param x horizontal position in image pixels
 * @param y vertical position in image pixels
 * @param score confidence in [0, 1]; for joints regressed from the center without heatmap support this is the
 *     score of the heatmap peak that was considered (possibly below the model's threshold)
 */
public record Keypoint(float x, float y, float score) {}
