package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidConfigException;

/**
 * Training-target settings beyond a family's defaults, named as CenterNet's {@code opts.py} names them: input size
 * ({@code --input_res}/{@code --input_w}/{@code --input_h}), {@code --keep_res}, the MSRA Gaussian ({@code
 * --mse_loss}, {@code --hm_gauss}), {@code --dense_wh}, {@code --cat_spec_wh}, the radius rule and {@code
 * max_objs}, and Enhanced-CenterNet's {@code --point_flags} (GridNeighbor). Unset values keep the family's default; a family refuses a setting it has no use for (e.g. {@code
 * dense_wh} for CornerNet) with {@link InvalidConfigException} from its encoder. Immutable; build with {@link
 * #builder()}.
 *
 * @param inputWidth network input width, or 0 for the family's
 * @param inputHeight network input height, or 0 for the family's
 * @param keepRes CenterNet's {@code keep_res}: the input is the image size padded up to a multiple of 32, no scaling
 * @param heatmapStyle UMICH (CenterNet's default) or MSRA ({@code mse_loss}); null for the family's
 * @param hmGauss the MSRA Gaussian's sigma ({@code hm_gauss}, 4)
 * @param denseWh CenterNet's {@code dense_wh}
 * @param catSpecWh CenterNet's {@code cat_spec_wh}
 * @param radiusRule the Gaussian radius rule, or null for the family's
 * @param maxObjects object slots, or 0 for the family's
 * @param pointFlags GRIDNEIGHBOR's point flags (grid cells 0..8, row-major over the box), empty for the family's
 *     default 0, 4, 8; the other families refuse them ({@link #applyCommon})
 */
public record TargetOptions(
    int inputWidth,
    int inputHeight,
    boolean keepRes,
    HeatmapStyle heatmapStyle,
    int hmGauss,
    boolean denseWh,
    boolean catSpecWh,
    RadiusRule radiusRule,
    int maxObjects,
    java.util.List<Integer> pointFlags) {

  private static final TargetOptions DEFAULTS = builder().build();

  /** Validates. */
  public TargetOptions {
    if (inputWidth < 0 || inputHeight < 0 || (inputWidth == 0) != (inputHeight == 0)) {
      throw new InvalidConfigException("input size must be two positive numbers, got " + inputWidth + "x" + inputHeight);
    }
    if (keepRes && inputWidth > 0) {
      throw new InvalidConfigException("keep_res and an input size exclude each other");
    }
    if (hmGauss <= 0) {
      throw new InvalidConfigException("hm_gauss must be > 0, got " + hmGauss);
    }
    if (maxObjects < 0) {
      throw new InvalidConfigException("max objects must be > 0, got " + maxObjects);
    }
    pointFlags = java.util.List.copyOf(pointFlags == null ? java.util.List.of() : pointFlags);
  }

  /** These options with other point flags (empty: the family's default). */
  public TargetOptions withPointFlags(java.util.List<Integer> flags) {
    return new TargetOptions(inputWidth, inputHeight, keepRes, heatmapStyle, hmGauss, denseWh, catSpecWh, radiusRule,
        maxObjects, flags);
  }

  /** Every setting at the family's default. */
  public static TargetOptions defaults() {
    return DEFAULTS;
  }

  /** A builder at the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether any CenterNet-only setting (MSRA heat maps, dense or category-specific wh) is given. */
  public boolean hasCtdetSettings() {
    return heatmapStyle == HeatmapStyle.MSRA || denseWh || catSpecWh;
  }

  /**
   * Refuses the CenterNet-only settings for a family that has no use for them.
   *
   * @throws InvalidConfigException naming the setting and the family
   */
  public void requireNoCtdetSettings(String family) {
    if (heatmapStyle == HeatmapStyle.MSRA) {
      throw new InvalidConfigException("mse_loss (MSRA heat maps) applies to CENTERNET targets, not " + family);
    }
    if (denseWh) {
      throw new InvalidConfigException("dense_wh applies to CENTERNET targets, not " + family);
    }
    if (catSpecWh) {
      throw new InvalidConfigException("cat_spec_wh applies to CENTERNET targets, not " + family);
    }
  }

  /**
   * Applies the settings every encoder has (max objects, radius rule) to an encoder builder.
   *
   * @throws InvalidConfigException when point flags are set: only GRIDNEIGHBOR takes them, and its family passes
   *     them to its encoder builder itself (and calls this on {@link #withPointFlags} of an empty list)
   */
  public <B extends EncoderBuilder<B>> B applyCommon(B builder) {
    if (!pointFlags.isEmpty()) {
      Class<?> encoder = builder.getClass().getEnclosingClass();
      throw new InvalidConfigException("point flags " + pointFlags + " apply to GRIDNEIGHBOR targets only, not to "
          + (encoder != null ? encoder : builder.getClass()).getSimpleName());
    }
    if (maxObjects > 0) {
      builder.optMaxObjects(maxObjects);
    }
    if (radiusRule != null) {
      builder.optRadiusRule(radiusRule);
    }
    return builder;
  }

  /**
   * The CenterNet-style crop of a {@code width x height} image: center = image center; with {@code keep_res} the
   * input is the image padded up to a multiple of 32 (no scaling); else the given input size (default {@code
   * defaultSize} square) with scale = max(width, height).
   */
  public TargetGeometry centerNetGeometry(int width, int height, int defaultSize) {
    if (keepRes) {
      int inW = (width | 31) + 1;
      int inH = (height | 31) + 1;
      return TargetGeometry.builder(inW, inH).optCenterScale(width / 2.0, height / 2.0, inW, 0).build();
    }
    int inW = inputWidth > 0 ? inputWidth : defaultSize;
    int inH = inputHeight > 0 ? inputHeight : defaultSize;
    return TargetGeometry.builder(inW, inH)
        .optCenterScale(width / 2.0, height / 2.0, Math.max(width, height), 0).build();
  }

  /** Builder of {@link TargetOptions}; every setting optional. Not thread-safe. */
  public static final class Builder {
    private int inputWidth;
    private int inputHeight;
    private boolean keepRes;
    private HeatmapStyle heatmapStyle;
    private int hmGauss = 4;
    private boolean denseWh;
    private boolean catSpecWh;
    private RadiusRule radiusRule;
    private int maxObjects;
    private java.util.List<Integer> pointFlags = java.util.List.of();

    private Builder() {}

    public Builder optInputSize(int width, int height) {
      inputWidth = width;
      inputHeight = height;
      return this;
    }

    public Builder optKeepRes(boolean v) {
      keepRes = v;
      return this;
    }

    /** MSRA heat maps with this sigma ({@code --mse_loss --hm_gauss sigma}). */
    public Builder optMsraHeatmaps(int sigma) {
      heatmapStyle = HeatmapStyle.MSRA;
      hmGauss = sigma;
      return this;
    }

    public Builder optDenseWh(boolean v) {
      denseWh = v;
      return this;
    }

    public Builder optCatSpecWh(boolean v) {
      catSpecWh = v;
      return this;
    }

    public Builder optRadiusRule(RadiusRule v) {
      radiusRule = InvalidConfigException.requireOption(v, "optRadiusRule");
      return this;
    }

    public Builder optMaxObjects(int v) {
      maxObjects = v;
      return this;
    }

    /** GRIDNEIGHBOR's point flags ({@code --point_flags}), checked by its encoder. */
    public Builder optPointFlags(int... flags) {
      pointFlags = java.util.Arrays.stream(InvalidConfigException.requireOption(flags, "optPointFlags")).boxed()
          .toList();
      return this;
    }

    /** The options; throws {@link InvalidConfigException} naming a bad value. */
    public TargetOptions build() {
      return new TargetOptions(
          inputWidth, inputHeight, keepRes, heatmapStyle, hmGauss, denseWh, catSpecWh, radiusRule, maxObjects,
          pointFlags);
    }
  }
}
