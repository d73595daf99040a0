package io.github.keydet.core.decode;

import io.github.keydet.api.InvalidConfigException;

/**
 * Test-time decoding settings of every family, kept apart from the model (mmdetection keeps its
 * {@code test_cfg} apart from the weights). Each family's decoder reads the settings that apply to it;
 * each family's {@code DetectorFamily.decoder} builds it. Immutable; build with {@link #builder()} ({@code opt*} setters validate at
 * once and {@link Builder#build()} again), or start from {@link #defaults()}.
 *
 * <p>Unset K and detection caps take the family's own default ({@code DetectorFamily.defaultK()} and {@code
 * defaultNumDets()}): K = 100 (CenterNet, CornerNet, pose, 3D, grid), 70 (CenterNet-Triplets' {@code top_k}), 40
 * (ExtremeNet, per extreme map); {@code numDets} 1000 for the CornerNet and ExtremeNet families, 100 for grid
 * points.
 */
public final class DecodeOptions {
  private final Integer k;
  private final int kernel;
  /** Null: the family's (0.5; CornerNet-Saccade 0.3). */
  private final Double aeThreshold;
  private final Integer numDets;
  private final boolean rejectBorder;
  private final double smallBoxMaxArea;
  private final double aggrWeight;
  private final double extremeScoreThreshold;
  private final double centerThreshold;
  private final boolean classAgnostic;
  private final float jointThreshold;
  private final float jointDistanceRatio;
  private final DddDecoder.DepthInput depthInput;
  /** Settings that only one family reads, by name (see {@link Builder#optFamilySetting}). */
  private final java.util.Map<String, Object> familySettings;

  private DecodeOptions(Builder b) {
    this.k = b.k;
    this.kernel = b.kernel;
    this.aeThreshold = b.aeThreshold;
    this.numDets = b.numDets;
    this.rejectBorder = b.rejectBorder;
    this.smallBoxMaxArea = b.smallBoxMaxArea;
    this.aggrWeight = b.aggrWeight;
    this.extremeScoreThreshold = b.extremeScoreThreshold;
    this.centerThreshold = b.centerThreshold;
    this.classAgnostic = b.classAgnostic;
    this.jointThreshold = b.jointThreshold;
    this.jointDistanceRatio = b.jointDistanceRatio;
    this.depthInput = b.depthInput;
    this.familySettings = java.util.Map.copyOf(b.familySettings);
  }

  /** Every setting at its family default (the originals' test settings). */
  public static DecodeOptions defaults() {
    return builder().build();
  }

  /** A builder at the defaults. Not thread-safe. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.k = k;
    b.kernel = kernel;
    b.aeThreshold = aeThreshold;
    b.numDets = numDets;
    b.rejectBorder = rejectBorder;
    b.smallBoxMaxArea = smallBoxMaxArea;
    b.aggrWeight = aggrWeight;
    b.extremeScoreThreshold = extremeScoreThreshold;
    b.centerThreshold = centerThreshold;
    b.classAgnostic = classAgnostic;
    b.jointThreshold = jointThreshold;
    b.jointDistanceRatio = jointDistanceRatio;
    b.depthInput = depthInput;
    b.familySettings.putAll(familySettings);
    return b;
  }

  /** A copy with another K. */
  public DecodeOptions withK(int v) {
    return toBuilder().optK(v).build();
  }

  /** A copy with another peak-NMS kernel. */
  public DecodeOptions withKernel(int v) {
    return toBuilder().optKernel(v).build();
  }

  /**
   * These options with a model's own test defaults where the caller set none: K = {@code modelK} and the
   * detection cap = {@code modelNumDets} when those are positive (a model spec's {@code topK} / {@code numDets}).
   */
  public DecodeOptions withModelDefaults(int modelK, int modelNumDets) {
    Builder b = toBuilder();
    if (k == null && modelK > 0) {
      b.optK(modelK);
    }
    if (numDets == null && modelNumDets > 0) {
      b.optNumDets(modelNumDets);
    }
    return b.build();
  }

  /** K: the one set, or {@code familyDefault} (each family declares its own; see {@code core.family}). */
  public int kOr(int familyDefault) {
    return k != null ? k : familyDefault;
  }

  /** The detection cap of the grouping decoders: the one set, or {@code familyDefault}. */
  public int numDetsOr(int familyDefault) {
    return numDets != null ? numDets : familyDefault;
  }

  public int kernel() {
    return kernel;
  }

  /** The tag threshold: the one set, or 0.5 (CornerNet's and Triplets' test configs). */
  public double aeThreshold() {
    return aeThresholdOr(0.5);
  }

  /** The tag threshold: the one set, or {@code familyDefault}. */
  public double aeThresholdOr(double familyDefault) {
    return aeThreshold != null ? aeThreshold : familyDefault;
  }

  public boolean rejectBorder() {
    return rejectBorder;
  }

  public double smallBoxMaxArea() {
    return smallBoxMaxArea;
  }

  public double aggrWeight() {
    return aggrWeight;
  }

  public double extremeScoreThreshold() {
    return extremeScoreThreshold;
  }

  public double centerThreshold() {
    return centerThreshold;
  }

  public boolean classAgnostic() {
    return classAgnostic;
  }

  public float jointThreshold() {
    return jointThreshold;
  }

  public float jointDistanceRatio() {
    return jointDistanceRatio;
  }

  public DddDecoder.DepthInput depthInput() {
    return depthInput;
  }

  /**
   * A setting that only one family reads (so that a new family adds its settings without a new field here), or
   * {@code defaultValue} when unset.
   *
   * @param name the setting's name, by convention the family's command-line option without dashes
   * @param type its type
   * @throws io.github.keydet.api.InvalidConfigException when the setting holds a value of another type
   */
  public <T> T familySetting(String name, Class<T> type, T defaultValue) {
    Object v = familySettings.get(name);
    if (v == null) {
      return defaultValue;
    }
    if (!type.isInstance(v)) {
      throw new InvalidConfigException("decode setting '" + name + "' is a " + v.getClass().getSimpleName()
          + ", expected " + type.getSimpleName());
    }
    return type.cast(v);
  }

  @Override
  public String toString() {
    return "DecodeOptions[k=" + (k == null ? "family default" : k) + ", kernel=" + kernel + ", aeThreshold="
        + (aeThreshold == null ? "family default" : aeThreshold) + ", numDets=" + (numDets == null ? "family default" : numDets) + ", rejectBorder="
        + rejectBorder + ", aggrWeight=" + aggrWeight + ", extremeScoreThreshold=" + extremeScoreThreshold
        + ", centerThreshold=" + centerThreshold + ", classAgnostic=" + classAgnostic + ", jointThreshold="
        + jointThreshold + ", jointDistanceRatio=" + jointDistanceRatio + ", depthInput=" + depthInput
        + ", familySettings=" + familySettings + "]";
  }

  /** Builder of {@link DecodeOptions}; every setting optional. Not thread-safe. */
  public static final class Builder {
    private Integer k;
    private int kernel = 3;
    private Double aeThreshold;
    private Integer numDets;
    private boolean rejectBorder;
    private double smallBoxMaxArea = 22500.0;
    private double aggrWeight = 0.1;
    private double extremeScoreThreshold = 0.1;
    private double centerThreshold = 0.1;
    private boolean classAgnostic;
    private float jointThreshold = 0.1f;
    private float jointDistanceRatio = 0.3f;
    private DddDecoder.DepthInput depthInput = DddDecoder.DepthInput.RAW_OUTPUT;
    private final java.util.Map<String, Object> familySettings = new java.util.LinkedHashMap<>();

    private Builder() {}

    /** Candidates per image (per extreme map for ExtremeNet, per corner map for CornerNet). */
    public Builder optK(int v) {
      DecodeChecks.requirePositiveK(v);
      k = v;
      return this;
    }

    /** Peak-NMS window, odd; 1 disables peak NMS. */
    public Builder optKernel(int v) {
      DecodeChecks.requireOddKernel(v);
      kernel = v;
      return this;
    }

    /** CornerNet/Triplets: largest embedding distance of a corner pair (0.5). */
    public Builder optAeThreshold(double v) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new InvalidConfigException("aeThreshold must be a finite number >= 0, got " + v);
      }
      aeThreshold = v;
      return this;
    }

    /** Detections kept by the CornerNet, ExtremeNet and grid-point decoders. */
    public Builder optNumDets(int v) {
      if (v <= 0) {
        throw new InvalidConfigException("numDets must be > 0, got " + v);
      }
      numDets = v;
      return this;
    }

    /** CornerNet: reject corners on the map border (CornerNet-Lite's option; off). */
    public Builder optRejectBorder(boolean v) {
      rejectBorder = v;
      return this;
    }

    /** Triplets: largest box area (input pixels²) that counts as small (n = 3 central region); 22500. */
    public Builder optSmallBoxMaxArea(double v) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new InvalidConfigException("smallBoxMaxArea must be a finite number >= 0, got " + v);
      }
      smallBoxMaxArea = v;
      return this;
    }

    /** ExtremeNet: edge aggregation weight (0.1; 0 disables). */
    public Builder optAggrWeight(double v) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new InvalidConfigException("aggrWeight must be a finite number >= 0, got " + v);
      }
      aggrWeight = v;
      return this;
    }

    /** ExtremeNet: extreme-point score threshold (0.1). */
    public Builder optExtremeScoreThreshold(double v) {
      DecodeChecks.requireUnitInterval("extreme score threshold", v);
      extremeScoreThreshold = v;
      return this;
    }

    /** ExtremeNet: center score threshold (0.1). */
    public Builder optCenterThreshold(double v) {
      DecodeChecks.requireUnitInterval("center threshold", v);
      centerThreshold = v;
      return this;
    }

    /** ExtremeNet: the class-agnostic variant. */
    public Builder optClassAgnostic(boolean v) {
      classAgnostic = v;
      return this;
    }

    /** multi_pose: heatmap joints at or below this are ignored (0.1). */
    public Builder optJointThreshold(float v) {
      DecodeChecks.requireUnitInterval("joint threshold", v);
      jointThreshold = v;
      return this;
    }

    /** multi_pose: farthest heatmap joint, as a fraction of max(box h, w) (0.3). */
    public Builder optJointDistanceRatio(float v) {
      if (!(v >= 0) || Float.isInfinite(v)) {
        throw new InvalidConfigException("joint distance ratio must be a finite number >= 0, got " + v);
      }
      jointDistanceRatio = v;
      return this;
    }

    /** ddd: what the {@code dep} head holds (raw output: depth = 1/sigmoid - 1). */
    public Builder optDepthInput(DddDecoder.DepthInput v) {
      depthInput = InvalidConfigException.requireOption(v, "optDepthInput");
      return this;
    }

    /**
     * A setting that only one family reads (e.g. a new family's {@code point-flags}); the family validates it
     * when it builds its decoder. {@code null} removes it.
     *
     * @throws InvalidConfigException for a null or blank name
     */
    public Builder optFamilySetting(String name, Object value) {
      if (name == null || name.isBlank()) {
        throw new InvalidConfigException("family setting name must not be blank");
      }
      if (value == null) {
        familySettings.remove(name);
      } else {
        familySettings.put(name, value);
      }
      return this;
    }

    /** The options. */
    public DecodeOptions build() {
      return new DecodeOptions(this);
    }
  }
}
