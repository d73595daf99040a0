/**
 * Decoding of keypoint heads into candidate detections, one stateless decoder per family built on shared
 * primitives: {@link io.github.keydet.core.heads.HeadView} (a zero-copy view of a rank-4 head),
 * {@link io.github.keydet.core.decode.PeakTopK} (peak NMS fused with top-K), the package-private
 * {@code TopKHeap} (the one bounded top-K heap) and {@code CenterGather} (the one center + offset + value read at a
 * peak cell, with the decoder's NaN rule).
 *
 * <p>Decoders take heads as ND4J {@code INDArray}s, shaped {@code [N, C, H, W]} (or {@code [N, H, W, C]} for
 * NHWC models), and return candidates in <em>output-map coordinates</em> (cells of the head, before any
 * back-transform to image pixels). They do not need ONNX Runtime.
 */
package io.github.keydet.core.decode;
