package io.github.keydet.core.decode;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;

/** Argument checks shared by the decoders, so every decoder words its errors the same way. */
public final class DecodeChecks {
  private DecodeChecks() {}

  /** K must be positive. */
  public static void requirePositiveK(int k) {
    if (k <= 0) {
      throw new InvalidConfigException("K must be > 0, got " + k);
    }
  }

  /** The NMS kernel must be a positive odd number (1 = no NMS). */
  public static void requireOddKernel(int kernel) {
    if (kernel <= 0 || kernel % 2 == 0) {
      throw new InvalidConfigException("NMS kernel must be a positive odd number, got " + kernel);
    }
  }

  /** A threshold or probability in [0, 1]. */
  public static void requireUnitInterval(String what, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new InvalidConfigException(what + " must be in [0, 1], got " + value);
    }
  }

  /**
   * A heat map declared as probabilities must hold values in [0, 1], or its scores would be too (the API promises
   * scores in [0, 1]). Called on the peaks selected from a network head: the maximum is always among them. A value
   * outside says the spec's {@code heatmaps} is wrong (logits declared as probabilities) or the model is. (Not for
   * ExtremeNet's edge-aggregated maps, which exceed 1 by design and are clamped.)
   *
   * @return {@code peaks}
   * @throws io.github.keydet.api.InvalidInputException naming the head, the value and where it is
   */
  public static Peaks requireProbabilities(Peaks peaks, HeadView heat, int n, Activation activation) {
    if (activation != Activation.PROBABILITIES) {
      return peaks;
    }
    float[] scores = peaks.scores();
    for (int i = 0; i < peaks.count(); i++) {
      if (!(scores[i] >= 0f && scores[i] <= 1f)) {
        throw new io.github.keydet.api.InvalidInputException("heatmap '" + heat.name()
            + "' is declared as probabilities but holds " + scores[i] + " at batch " + n + ", channel "
            + peaks.classes()[i] + ", y " + peaks.ys()[i] + ", x " + peaks.xs()[i]
            + " (outside [0, 1]; if the model outputs logits, set the spec's heatmaps to LOGITS)");
      }
    }
    return peaks;
  }
}
