/**
 * KeyDet's engine-agnostic public types: the {@link io.github.keydet.api.Detector} interface, its results
 * ({@link io.github.keydet.api.Detection}, {@link io.github.keydet.api.BoundingBox},
 * {@link io.github.keydet.api.Keypoint}), the description of a loaded model, the exception hierarchy and
 * {@link io.github.keydet.api.ImageLoader}, which decodes image files and refuses damaged, oversized or CMYK ones.
 *
 * <p>This module has no dependencies; no ND4J or ONNX Runtime type appears here. All coordinates in results
 * are float pixels of the original image, boxes are (x1, y1, x2, y2) with x2 &gt;= x1 and y2 &gt;= y1.
 */
package io.github.keydet.api;
