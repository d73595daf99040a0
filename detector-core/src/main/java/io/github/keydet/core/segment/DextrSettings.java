package io.github.keydet.core.segment;

import io.github.keydet.api.InvalidConfigException;

/**
 * DEXTR's fixed procedure parameters, as ExtremeNet's {@code dextr.py} sets them.
 *
 * @param relax pixels added around the extreme points' box on every side (50), outside the image zero-padded
 * @param size side of the square network input (512)
 * @param sigma the heat-map Gaussians' width parameter (10; DEXTR's {@code make_gaussian} uses
 *     {@code exp(-4 ln 2 d^2 / sigma^2)}, i.e. sigma is the full width at half maximum)
 * @param threshold probability above which a pixel belongs to the mask (0.8; strict)
 * @param flipTest whether the mirrored crop also runs and the two logit maps are averaged (ExtremeNet's default)
 */
public record DextrSettings(int relax, int size, double sigma, double threshold, boolean flipTest) {
  /** Checks the values. */
  public DextrSettings {
    if (relax < 0) {
      throw new InvalidConfigException("DEXTR relax must be >= 0 pixels, got " + relax);
    }
    if (size < 8) {
      throw new InvalidConfigException("DEXTR input size must be >= 8, got " + size);
    }
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new InvalidConfigException("DEXTR sigma must be a positive number, got " + sigma);
    }
    if (!(threshold >= 0 && threshold < 1)) {
      throw new InvalidConfigException("DEXTR threshold must be in [0, 1), got " + threshold);
    }
  }

  /** ExtremeNet's {@code Dextr}: relax 50, 512x512, sigma 10, threshold 0.8, flip test on. */
  public static DextrSettings extremeNet() {
    return new DextrSettings(50, 512, 10, 0.8, true);
  }

  /** A copy with another flip-test setting (DEXTR's own demo runs without). */
  public DextrSettings withFlipTest(boolean v) {
    return new DextrSettings(relax, size, sigma, threshold, v);
  }

  /** A copy with another threshold. */
  public DextrSettings withThreshold(double v) {
    return new DextrSettings(relax, size, sigma, v, flipTest);
  }
}
