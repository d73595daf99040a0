package io.github.keydet.core.segment;

import io.github.keydet.api.InstanceMask;

/**
 * Turns DEXTR's output back into an image mask as ExtremeNet's {@code segment()} does: with the flip test the
 * logits of the mirrored run are mirrored back and averaged, {@code (a + b) / 2}; sigmoid (float32); then
 * DEXTR's {@code crop2fullmask(pred, bbox, zero_pad=True, relax=relax)}: the {@code size x size} map resized
 * (OpenCV cubic) to the relaxed box, the part inside the image and inside the points' own box kept, and
 * thresholded, {@code > threshold}.
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
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        float v = logits[offset + y * n + x];
        if (flipped != null) {
          v = (v + flipped[flippedOffset + y * n + (n - 1 - x)]) / 2f;
        }
        p[y * n + x] = 1f / (1f + (float) Math.exp(-v));
      }
    }
    return p;
  }

  /** The probabilities in image pixels, inside the extreme points' box ({@code crop2fullmask}). */
  public ProbabilityPatch pasteBack(float[] probabilities, DextrCrop crop) {
    int n = settings.size();
    int r = crop.relax();
    int bx0 = Math.max(crop.x1() + r, 0);
    int by0 = Math.max(crop.y1() + r, 0);
    int bx1 = Math.min(crop.x2() - r, crop.imageWidth() - 1);
    int by1 = Math.min(crop.y2() - r, crop.imageHeight() - 1);
    int ww = Math.max(0, bx1 - bx0 + 1);
    int wh = Math.max(0, by1 - by0 + 1);
    float[] values = ww == 0 || wh == 0 ? new float[0]
        : CubicResize.resizeFloatWindow(probabilities, n, n, crop.cropWidth(), crop.cropHeight(),
            bx0 - crop.x1(), by0 - crop.y1(), ww, wh);
    return new ProbabilityPatch(crop.imageWidth(), crop.imageHeight(), bx0, by0, ww, wh, values);
  }

  /** The mask: pixels whose probability is above the threshold. */
  public InstanceMask threshold(ProbabilityPatch patch) {
    boolean[] on = new boolean[patch.width() * patch.height()];
    float[] v = patch.values();
    double t = settings.threshold();
    for (int i = 0; i < on.length; i++) {
      on[i] = v[i] > t;
    }
    return InstanceMask.ofRegion(patch.imageWidth(), patch.imageHeight(), patch.x(), patch.y(), patch.width(),
        patch.height(), on);
  }
}
