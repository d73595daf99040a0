package io.github.keydet.core.decode;

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

  /** The logistic function in float, {@code 1 / (1 + exp(-x))}. */
  public static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }
}
