package io.github.keydet.core.heads;

/** What a heatmap holds, and so whether a decoder applies the sigmoid. */
public enum Activation {
  /** Probabilities: the sigmoid was already applied (CenterNet's decoders expect this). */
  PROBABILITIES,
  /** Raw logits: the decoder applies the sigmoid (CornerNet's, ExtremeNet's and Triplets' decoders do). */
  LOGITS;

  /** The activated value of a raw heatmap value. */
  public float apply(float raw) {
    return this == LOGITS ? sigmoid(raw) : raw;
  }

  /**
   * The largest raw value whose activated value is at or below {@code activated} (the activation is monotone,
   * so a raw value is above the result exactly when its activated value is above {@code activated}). With
   * logits, {@code activated} must be in [0, 1].
   */
  public float rawAtMost(float activated) {
    if (this == PROBABILITIES) {
      return activated;
    }
    if (!(activated >= 0f && activated <= 1f)) {
      throw new IllegalArgumentException("an activated value must be in [0, 1], got " + activated);
    }
    // binary search over floats in their order (sortable int keys), -inf (sigmoid 0) to +inf (sigmoid 1)
    long lo = sortable(Float.NEGATIVE_INFINITY); // sigmoid(lo) <= activated
    long hi = sortable(Float.POSITIVE_INFINITY);
    if (sigmoid(Float.POSITIVE_INFINITY) <= activated) {
      return Float.POSITIVE_INFINITY;
    }
    while (hi - lo > 1) { // invariant: sigmoid(lo) <= activated < sigmoid(hi)
      long mid = (lo + hi) >> 1;
      if (sigmoid(unsortable((int) mid)) <= activated) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return unsortable((int) lo);
  }

  private static int sortable(float f) {
    int bits = Float.floatToIntBits(f);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  private static float unsortable(int s) {
    return Float.intBitsToFloat(s ^ ((s >> 31) & 0x7fffffff));
  }

  /** The logistic function in float, {@code 1 / (1 + exp(-x))}. */
  public static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }
}
