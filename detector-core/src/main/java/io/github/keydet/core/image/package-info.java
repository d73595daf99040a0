/**
 * Image to network input: pixel extraction from any {@code BufferedImage}, the three resize modes
 * (CenterNet's affine warp, letterbox, pad), normalisation and layout, and the
 * {@link io.github.keydet.core.image.ImageTransform} that maps input pixels back to image pixels.
 */
package io.github.keydet.core.image;
