/**
 * DEXTR (Deep Extreme Cut) around the network: {@link io.github.keydet.core.segment.DextrPreprocessor} crops
 * the image around four extreme points (relaxed by 50 px, zero padding), resizes the crop to 512x512 and adds the
 * points' Gaussian heat map as a 4th channel; {@link io.github.keydet.core.segment.DextrPostprocessor} turns the
 * network's logits back into an {@link io.github.keydet.api.InstanceMask} of the image (sigmoid, paste back,
 * threshold 0.8); {@link io.github.keydet.core.segment.DextrCrop} is the typed hand-off between the two.
 * OpenCV's cubic resize, which the upstream code calls, is reproduced exactly.
 *
 * <p>Coordinates: points, crops, patches and masks are in image pixels; the network input and logits
 * {@code [4 or 1, 512, 512]} are in network-input pixels. The network itself runs in detector-onnx
 * ({@code io.github.keydet.onnx.DextrSegmenter}).
 */
package io.github.keydet.core.segment;
