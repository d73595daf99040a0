/**
 * Training targets for keypoint-based detectors: Gaussian radius rules, Gaussian drawing, and the target tensors of
 * each family (CenterNet ctdet, CornerNet, CenterNet-Triplets, ExtremeNet, multi_pose, ddd, grid points).
 *
 * <p>Coordinates: annotations are boxes (x1, y1, x2, y2) in image pixels; a {@link
 * io.github.keydet.core.encode.TargetGeometry} maps them to the network input and to the output map. Every heatmap
 * is {@code [C, H, W]} float32 over output-map cells; index targets are int64 {@code y * W + x}; masks are uint8.
 * Targets are computed in Java arrays / direct buffers and written into ND4J arrays in one pass, never element by
 * element through ND4J.
 */
package io.github.keydet.core.encode;
