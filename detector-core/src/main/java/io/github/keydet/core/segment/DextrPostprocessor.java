package io.github.keydet.core.segment;

import io.github.keydet.api.InstanceMask;

/**
 * Turns DEXTR's output back into an image mask as ExtremeNet's {@code segment()} does: with the flip test the
 * logits of the mirrored run are mirrored back and averaged, {@code (a + b) / 2}; sigmoid (float32); then
 * DEXTR's {@code crop2fullmask(pred, bbox, zero_pad=True, relax=relax)}: the {@code size x size} map resized
 * (OpenCV cubic) to the relaxed box, the part inside the image and inside the points' own box kept, and
 * thresholded, {@code > threshold}. The threshold applies to the resized probabilities (cubic weights can be
 * negative, so it is no threshold on the logits): {@link #mask} computes the sigmoid of exactly the pixels the
 * resize reads and nothing else.
 *
 * <p>Logits are {@code [size, size]} in network-input pixels; patches and masks are in image pixels. Stateless.
 */
public final class DextrPostprocessor {
  private final DextrSettings settings;

  /** A postprocessor for these settings. */
  public DextrPostprocessor(DextrSettings settings) {
    this.settings = settings;
  }

  /**
   * Probabilities {@code [size * size]} from the logits at {@code logits[offset ..]}, averaged with the mirrored
   * logits at {@code flipped[flippedOffset ..]} when {@code flipped} is not null.
   */
  public float[] probabilities(float[] logits, int offset, float[] flipped, int flippedOffset) {
    int n = settings.size();
    float[] p = new float[n * n];
    sigmoid(logits, offset, flipped, flippedOffset, 0, 0, n, n, p);
    return p;
  }

  /** The probabilities of the rectangle {@code [x0, x0 + w) x [y0, y0 + h)} of the map into {@code out [h][w]}. */
  private void sigmoid(float[] logits, int offset, float[] flipped, int flippedOffset, int x0, int y0, int w, int h,
      float[] out) {
    int n = settings.size();
    for (int y = 0; y < h; y++) {
      int a = offset + (y0 + y) * n + x0;
      int o = y * w;
      if (flipped == null) {
        for (int x = 0; x < w; x++) {
          out[o + x] = 1f / (1f + (float) Math.exp(-logits[a + x]));
        }
      } else {
        int b = flippedOffset + (y0 + y) * n + n - 1 - x0;
        for (int x = 0; x < w; x++) {
          float v = (logits[a + x] + flipped[b - x]) / 2f;
          out[o + x] = 1f / (1f + (float) Math.exp(-v));
        }
      }
    }
  }

  /** The probabilities in image pixels, inside the extreme points' box ({@code crop2fullmask}). */
  public ProbabilityPatch pasteBack(float[] probabilities, DextrCrop crop) {
    int n = settings.size();
    int[] w = window(crop);
    float[] values = w[2] == 0 || w[3] == 0 ? new float[0]
        : CubicResize.resizeFloatWindow(probabilities, 0, 0, n, n, n, crop.cropWidth(), crop.cropHeight(),
            w[0] - crop.x1(), w[1] - crop.y1(), w[2], w[3]);
    return new ProbabilityPatch(crop.imageWidth(), crop.imageHeight(), w[0], w[1], w[2], w[3], values);
  }

  /** The kept part of the relaxed box in image pixels, {@code [x, y, w, h]}: inside the image and the points' box. */
  private static int[] window(DextrCrop crop) {
    int r = crop.relax();
    int bx0 = Math.max(crop.x1() + r, 0);
    int by0 = Math.max(crop.y1() + r, 0);
    int bx1 = Math.min(crop.x2() - r, crop.imageWidth() - 1);
    int by1 = Math.min(crop.y2() - r, crop.imageHeight() - 1);
    return new int[] {bx0, by0, Math.max(0, bx1 - bx0 + 1), Math.max(0, by1 - by0 + 1)};
  }

  /** The mask: pixels whose probability is above the threshold. */
  public InstanceMask threshold(ProbabilityPatch patch) {
    return threshold(patch.imageWidth(), patch.imageHeight(), patch.x(), patch.y(), patch.width(), patch.height(),
        patch.values());
  }

  private InstanceMask threshold(int iw, int ih, int x, int y, int w, int h, float[] v) {
    boolean[] on = new boolean[w * h];
    double t = settings.threshold();
    for (int i = 0; i < on.length; i++) {
      on[i] = v[i] > t;
    }
    return InstanceMask.ofRegion(iw, ih, x, y, w, h, on);
  }

  /**
   * The mask straight from the logits (arguments as {@link #probabilities}), equal to
   * {@code threshold(pasteBack(probabilities(...), crop))}, with the sigmoid of only the network-input pixels that
   * the paste reads (the points' box and the resize's 2-pixel reach, not the relax margin).
   */
  public InstanceMask mask(float[] logits, int offset, float[] flipped, int flippedOffset, DextrCrop crop) {
    int n = settings.size();
    int[] w = window(crop);
    if (w[2] == 0 || w[3] == 0) {
      return threshold(crop.imageWidth(), crop.imageHeight(), w[0], w[1], w[2], w[3], new float[0]);
    }
    int wx = w[0] - crop.x1();
    int wy = w[1] - crop.y1();
    int[] xs = CubicResize.sourceSpan(crop.cropWidth(), n, wx, w[2]);
    int[] ys = CubicResize.sourceSpan(crop.cropHeight(), n, wy, w[3]);
    int sw = xs[1] - xs[0] + 1;
    int sh = ys[1] - ys[0] + 1;
    float[] p = new float[sw * sh];
    sigmoid(logits, offset, flipped, flippedOffset, xs[0], ys[0], sw, sh, p);
    float[] values = CubicResize.resizeFloatWindow(p, xs[0], ys[0], sw, n, n, crop.cropWidth(), crop.cropHeight(),
        wx, wy, w[2], w[3]);
    return threshold(crop.imageWidth(), crop.imageHeight(), w[0], w[1], w[2], w[3], values);
  }
}
