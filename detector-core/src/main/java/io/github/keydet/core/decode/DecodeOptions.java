package io.github.keydet.core.decode;

import io.github.keydet.api.InvalidConfigException;

/**
 * Test-time decoding settings common to every family, kept apart from the model. Family decoders read the
 * settings that apply to them; {@link DecoderFactory} builds the right decoder for a model spec.
 *
 * @param k candidates per image (CenterNet 100; ExtremeNet uses it per extreme map, default 40 there)
 * @param kernel peak-NMS window (3)
 */
public record DecodeOptions(int k, int kernel) {

  /** Validation. */
  public DecodeOptions {
    DecodeChecks.requirePositiveK(k);
    DecodeChecks.requireOddKernel(kernel);
  }

  /** K 100, kernel 3. */
  public static DecodeOptions defaults() {
    return new DecodeOptions(100, 3);
  }

  public DecodeOptions withK(int v) {
    return new DecodeOptions(v, kernel);
  }

  public DecodeOptions withKernel(int v) {
    if (v <= 0) {
      throw new InvalidConfigException("kernel must be > 0, got " + v);
    }
    return new DecodeOptions(k, v);
  }
}
