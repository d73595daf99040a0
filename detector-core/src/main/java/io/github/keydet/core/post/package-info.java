/**
 * From decoded candidates (output-map cells) to {@link io.github.keydet.api.Detection}s in image pixels:
 * back-transform, clipping, score threshold, IoU NMS and the per-image cap.
 */
package io.github.keydet.core.post;
