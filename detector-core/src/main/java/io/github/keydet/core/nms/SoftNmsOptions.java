package io.github.keydet.core.nms;

import io.github.keydet.api.InvalidConfigException;

/**
 * Settings of soft-NMS; defaults are the original's ({@code sigma=0.5, Nt=0.3, threshold=0.001, method=0},
 * {@code weight_exp=6} for merging). CenterNet calls it with Gaussian and Nt 0.5, CornerNet with Gaussian or
 * linear and Nt 0.5, merge weight exponent 8 or 10.
 *
 * @param method the decay
 * @param sigma Gaussian width, &gt; 0
 * @param nt IoU above which LINEAR and HARD decay (strictly greater), in [0, 1]
 * @param threshold score floor: a box whose decayed score falls strictly below it is dropped, &gt;= 0
 * @param weightExp exponent of the merge weight {@code (1 - weight)^weightExp} (merge only), &gt;= 0
 * @param pixelInclusive the overlap of the Cython originals ({@code nms.pyx} of CornerNet, CornerNet-Lite,
 *     ExtremeNet, CenterNet): widths and heights counted as {@code x2 - x1 + 1}, in float arithmetic as their C
 *     code; false (the default): {@link io.github.keydet.api.BoundingBox#iou}, no +1, as everywhere else in the
 *     SDK. The two give different decayed scores for the same boxes (most for small boxes).
 */
public record SoftNmsOptions(
    SoftNmsMethod method, float sigma, float nt, float threshold, float weightExp, boolean pixelInclusive) {

  /** Validation. */
  public SoftNmsOptions {
    if (method == null) {
      throw new InvalidConfigException("soft-NMS method must be set");
    }
    if (!(sigma > 0) || !Float.isFinite(sigma)) {
      throw new InvalidConfigException("soft-NMS sigma must be > 0, got " + sigma);
    }
    if (!(nt >= 0 && nt <= 1)) {
      throw new InvalidConfigException("soft-NMS Nt must be in [0, 1], got " + nt);
    }
    if (!(threshold >= 0) || !Float.isFinite(threshold)) {
      throw new InvalidConfigException("soft-NMS threshold must be >= 0, got " + threshold);
    }
    if (!(weightExp >= 0) || !Float.isFinite(weightExp)) {
      throw new InvalidConfigException("soft-NMS merge weight exponent must be >= 0, got " + weightExp);
    }
  }

  /** The SDK's overlap (no +1 pixel); see the record's components. */
  public SoftNmsOptions(SoftNmsMethod method, float sigma, float nt, float threshold, float weightExp) {
    this(method, sigma, nt, threshold, weightExp, false);
  }

  /** These options with the given overlap convention. */
  public SoftNmsOptions withPixelInclusive(boolean value) {
    return new SoftNmsOptions(method, sigma, nt, threshold, weightExp, value);
  }

  /** A builder with the original defaults. Not thread-safe. */
  public static Builder builder() {
    return new Builder();
  }

  /** Gaussian soft-NMS with sigma 0.5, Nt 0.5, threshold 0.001, as CenterNet's multi-scale test uses. */
  public static SoftNmsOptions centerNetDefault() {
    return builder().optMethod(SoftNmsMethod.GAUSSIAN).optNt(0.5f).build();
  }

  /** Builder of {@link SoftNmsOptions}; every setting is optional. Not thread-safe. */
  public static final class Builder {
    private SoftNmsMethod method = SoftNmsMethod.HARD;
    private float sigma = 0.5f;
    private float nt = 0.3f;
    private float threshold = 0.001f;
    private float weightExp = 6f;
    private boolean pixelInclusive;

    private Builder() {}

    /** Decay method; default {@link SoftNmsMethod#HARD} (the original's default method 0). */
    public Builder optMethod(SoftNmsMethod value) {
      this.method = InvalidConfigException.requireOption(value, "optMethod");
      return this;
    }

    /** Gaussian sigma; default 0.5. */
    public Builder optSigma(float value) {
      this.sigma = value;
      return this;
    }

    /** Overlap threshold Nt; default 0.3. */
    public Builder optNt(float value) {
      this.nt = value;
      return this;
    }

    /** Score floor; default 0.001. */
    public Builder optThreshold(float value) {
      this.threshold = value;
      return this;
    }

    /** Merge weight exponent; default 6. */
    public Builder optWeightExp(float value) {
      this.weightExp = value;
      return this;
    }

    /**
     * Whether overlaps count widths and heights as {@code x2 - x1 + 1} as the Cython originals; default false (the
     * SDK's {@code BoundingBox.iou}).
     */
    public Builder optPixelInclusive(boolean value) {
      this.pixelInclusive = value;
      return this;
    }

    /** Validates and builds. */
    public SoftNmsOptions build() {
      return new SoftNmsOptions(method, sigma, nt, threshold, weightExp, pixelInclusive);
    }
  }
}
