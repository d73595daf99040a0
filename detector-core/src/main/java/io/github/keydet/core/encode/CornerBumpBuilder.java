package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidConfigException;

/**
 * The CornerNet code base's drawing settings, shared by its encoders' builders (CornerNet/Triplets, ExtremeNet):
 * {@code gaussian_bump} and a fixed {@code gaussian_radius}. Not thread-safe.
 *
 * @param <B> the family's builder, returned by the {@code opt*} methods
 */
public abstract class CornerBumpBuilder<B extends CornerBumpBuilder<B>> extends EncoderBuilder<B> {
  boolean gaussianBump = true;
  int fixedRadius = -1;

  CornerBumpBuilder(TargetGeometry geometry, int numClasses, int defaultMaxObjects) {
    super(geometry, numClasses, defaultMaxObjects);
  }

  /**
   * {@code gaussian_bump} (default true); false marks single cells with 1 (and leaves ExtremeNet's center heat
   * map empty).
   */
  public B optGaussianBump(boolean on) {
    gaussianBump = on;
    return self();
  }

  /** {@code gaussian_radius}: a fixed radius instead of the rule (-1, the default, = use the rule). */
  public B optFixedRadius(int r) {
    fixedRadius = r;
    return self();
  }

  @Override
  void validate() {
    super.validate();
    if (fixedRadius < -1) {
      throw new InvalidConfigException("fixed radius must be >= 0 or -1 (rule), got " + fixedRadius);
    }
  }
}
