package io.github.keydet.core.decode;

import io.github.keydet.api.InvalidConfigException;

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
}
