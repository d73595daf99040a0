/**
 * Video files for the examples: frames read ({@link io.github.keydet.examples.video.VideoFrames}) and written
 * ({@link io.github.keydet.examples.video.VideoWriter}) as {@link java.awt.image.BufferedImage}s in image pixels,
 * through JCodec (pure Java: MP4/MOV containers, H.264 video).
 */
package io.github.keydet.examples.video;
