package io.github.keydet.core.decode;

import java.nio.FloatBuffer;

/**
 * Per-joint peak selection for {@link MultiPoseDecoder}: CenterNet's {@code _topk_channel} (top K of each joint
 * heatmap over H·W) on top of the shared {@link PeakTopK}, by presenting one channel of {@code hm_hp} as a
 * single-channel head. The channel is copied once into a scratch array owned by the caller (one per decode
 * call), so the peak NMS itself is the shared one, not a second implementation.
 *
 * <p>With probabilities, values at or below the joint threshold are copied as 0. This changes nothing the
 * decoder uses: such values cannot suppress a pixel above the threshold (that takes a neighbour at least as
 * large), so the peaks above the threshold and their top-K order are the same, and every entry at or below the
 * threshold becomes an invalid joint anyway (the decoder then reports its score as 0). It lets the shared
 * top-K skip the background with one comparison per pixel.
 */
final class MultiPoseJointPeaks {
  private final HeadView heat;
  private final float[] scratch;
  private final long[] shape;

  /** A selector over the joints of {@code heat}; not thread-safe (holds the scratch channel). */
  MultiPoseJointPeaks(HeadView heat) {
    this.heat = heat;
    this.scratch = new float[heat.height() * heat.width()];
    this.shape = new long[] {1, 1, heat.height(), heat.width()};
  }

  /**
   * Top-K peaks of joint channel {@code joint} of batch item {@code n}, best first (classes are all 0); with
   * probabilities, scores at or below {@code threshold} come back as 0 (see the class comment).
   */
  Peaks select(int n, int joint, int k, int kernel, Activation activation, float threshold) {
    int h = heat.height();
    int w = heat.width();
    FloatBuffer buf = heat.buffer();
    if (heat.layout() == Layout.NCHW) {
      FloatBuffer dup = buf.duplicate();
      dup.position(heat.index(n, joint, 0, 0));
      dup.get(scratch, 0, h * w);
      if (activation == Activation.PROBABILITIES) {
        for (int i = 0; i < scratch.length; i++) {
          if (scratch[i] <= threshold) {
            scratch[i] = 0f; // NaN fails the test and is kept, for the top-K to reject
          }
        }
      }
    } else {
      int i = 0;
      for (int y = 0; y < h; y++) {
        int base = heat.index(n, joint, y, 0);
        int sx = heat.strideX();
        for (int x = 0; x < w; x++) {
          float v = buf.get(base + x * sx);
          scratch[i++] = activation == Activation.PROBABILITIES && v <= threshold ? 0f : v;
        }
      }
    }
    HeadView channel = HeadView.of(heat.name() + "[" + joint + "]", scratch, shape, Layout.NCHW);
    return PeakTopK.select(channel, 0, k, kernel, activation);
  }
}
