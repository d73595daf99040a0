package io.github.keydet.core.spec;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.Layout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a model is and how to feed it: family, input size and layout, pixel normalisation, preprocessing mode,
 * output stride, heatmap activation, class labels and head names. Immutable; build with {@link #builder()}, read
 * from ONNX metadata with {@link #fromMetadata(Map)} (keys in {@code docs/model-spec.md}).
 *
 * <p>Normalisation: an input value is {@code (pixel * valueScale - mean[c]) / std[c]} with {@code pixel} in
 * 0..255 and {@code c} in the model's channel order.
 *
 * @param family decoder family
 * @param inputWidth input width in pixels (AFFINE_WARP and LETTERBOX)
 * @param inputHeight input height in pixels (AFFINE_WARP and LETTERBOX)
 * @param layout input and head layout
 * @param channelOrder colour order of the input
 * @param valueScale factor applied to 0..255 pixel values
 * @param mean per-channel mean, model channel order (3 values)
 * @param std per-channel standard deviation, model channel order (3 values)
 * @param resize preprocessing mode
 * @param padMultiple canvas multiple for PAD mode (32; 128 for Hourglass)
 * @param stride output stride of the heads
 * @param heatmaps whether heatmap outputs are probabilities or logits
 * @param labels class labels, index = class channel (may be empty)
 * @param headNames canonical head name to ONNX output name, for heads whose output is named differently
 * @param numJoints joints of a MULTI_POSE model
 * @param gridPoints the point flags of a GRIDNEIGHBOR model in channel order (cells 0..8 of a row-major 3x3 grid
 *     over the box); empty for other families
 * @param topK the model's own test-time K (metadata {@code keydet.top_k}, e.g. 20 for CornerNet-Squeeze, whose
 *     config differs from CornerNet's), used when the caller sets none; 0: the family's default
 * @param numDets the model's own cap of grouped detections before the merge ({@code keydet.num_dets}); 0: the
 *     family's default
 */
public record ModelSpec(
    ModelFamily family,
    int inputWidth,
    int inputHeight,
    Layout layout,
    ChannelOrder channelOrder,
    float valueScale,
    List<Float> mean,
    List<Float> std,
    ResizeMode resize,
    int padMultiple,
    int stride,
    Activation heatmaps,
    List<String> labels,
    Map<String, String> headNames,
    int numJoints,
    List<Integer> gridPoints,
    int topK,
    int numDets) {

  public static final String PREFIX = "keydet.";

  /** Validation and defensive copies. */
  public ModelSpec {
    if (family == null) {
      throw new InvalidConfigException("model spec needs a family");
    }
    if (resize != ResizeMode.PAD && (inputWidth <= 0 || inputHeight <= 0)) {
      throw new InvalidConfigException(
          "input size must be > 0 for " + resize + ", got " + inputWidth + "x" + inputHeight);
    }
    if (mean.size() != 3 || std.size() != 3) {
      throw new InvalidConfigException("mean and std need 3 values, got " + mean + " and " + std);
    }
    for (Float s : std) {
      if (!(s > 0)) {
        throw new InvalidConfigException("std values must be > 0, got " + std);
      }
    }
    if (stride <= 0) {
      throw new InvalidConfigException("stride must be > 0, got " + stride);
    }
    if (resize == ResizeMode.PAD && padMultiple <= 0) {
      throw new InvalidConfigException("pad multiple must be > 0, got " + padMultiple);
    }
    if (topK < 0 || numDets < 0) {
      throw new InvalidConfigException("top_k and num_dets must be >= 0 (0: the family's), got " + topK + " and "
          + numDets);
    }
    if (!(valueScale > 0) || !Float.isFinite(valueScale)) {
      throw new InvalidConfigException("value scale must be a positive number, got " + valueScale);
    }
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    labels = List.copyOf(labels);
    headNames = Map.copyOf(headNames);
    gridPoints = List.copyOf(gridPoints);
  }

  /** A builder with CenterNet's defaults (512x512 affine warp, BGR, /255, COCO mean/std, stride 4). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this spec's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.family = family;
    b.inputWidth = inputWidth;
    b.inputHeight = inputHeight;
    b.layout = layout;
    b.channelOrder = channelOrder;
    b.valueScale = valueScale;
    b.mean = mean;
    b.std = std;
    b.resize = resize;
    b.padMultiple = padMultiple;
    b.stride = stride;
    b.heatmaps = heatmaps;
    b.labels = labels;
    b.headNames = new LinkedHashMap<>(headNames);
    b.numJoints = numJoints;
    b.gridPoints = gridPoints;
    b.topK = topK;
    b.numDets = numDets;
    return b;
  }

  /** The ONNX output name of a canonical head. */
  public String outputName(String canonicalHead) {
    return headNames.getOrDefault(canonicalHead, canonicalHead);
  }

  /** The label of a class channel, or {@code class_<id>}. */
  public String label(int classId) {
    return classId >= 0 && classId < labels.size() ? labels.get(classId) : "class_" + classId;
  }

  /** This spec as {@code metadata_props} entries (the inverse of {@link #fromMetadata}). */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(PREFIX + "family", family.name());
    m.put(PREFIX + "input_width", Integer.toString(inputWidth));
    m.put(PREFIX + "input_height", Integer.toString(inputHeight));
    m.put(PREFIX + "layout", layout.name());
    m.put(PREFIX + "channel_order", channelOrder.name());
    m.put(PREFIX + "value_scale", Float.toString(valueScale));
    m.put(PREFIX + "mean", join(mean));
    m.put(PREFIX + "std", join(std));
    m.put(PREFIX + "resize", resize.name());
    m.put(PREFIX + "pad_multiple", Integer.toString(padMultiple));
    m.put(PREFIX + "stride", Integer.toString(stride));
    m.put(PREFIX + "heatmaps", heatmaps.name());
    m.put(PREFIX + "labels", MetadataJson.write(labels));
    if (!headNames.isEmpty()) {
      m.put(PREFIX + "heads", MetadataJson.write(new java.util.TreeMap<>(headNames)));
    }
    m.put(PREFIX + "num_joints", Integer.toString(numJoints));
    if (!gridPoints.isEmpty()) {
      m.put(PREFIX + "grid_points", join(gridPoints));
    }
    if (topK > 0) {
      m.put(PREFIX + "top_k", Integer.toString(topK));
    }
    if (numDets > 0) {
      m.put(PREFIX + "num_dets", Integer.toString(numDets));
    }
    return m;
  }

  private static String join(List<? extends Number> values) {
    StringBuilder sb = new StringBuilder();
    for (Number v : values) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(v);
    }
    return sb.toString();
  }

  /** Whether ONNX metadata carries a KeyDet spec. */
  public static boolean hasSpec(Map<String, String> metadata) {
    return metadata.containsKey(PREFIX + "family");
  }

  /**
   * Reads a spec from ONNX {@code metadata_props}. Keys absent from the map keep the builder's defaults.
   *
   * @throws ModelLoadException naming the key and value that do not parse
   */
  public static ModelSpec fromMetadata(Map<String, String> metadata) {
    Builder b = builder();
    String family = metadata.get(PREFIX + "family");
    if (family == null) {
      throw new ModelLoadException("model metadata has no '" + PREFIX + "family' entry");
    }
    try {
      b.setFamily(ModelFamily.of(family));
    } catch (InvalidConfigException e) {
      throw new ModelLoadException("metadata '" + PREFIX + "family' = '" + family + "': " + e.getMessage(), e);
    }
    readInt(metadata, "input_width", v -> b.inputWidth = v);
    readInt(metadata, "input_height", v -> b.inputHeight = v);
    readEnum(metadata, "layout", Layout.class, v -> b.layout = v);
    readEnum(metadata, "channel_order", ChannelOrder.class, v -> b.channelOrder = v);
    String scale = metadata.get(PREFIX + "value_scale");
    if (scale != null) {
      b.valueScale = parseFloat("value_scale", scale);
    }
    if (metadata.containsKey(PREFIX + "mean")) {
      b.mean = parseFloats("mean", metadata.get(PREFIX + "mean"));
    }
    if (metadata.containsKey(PREFIX + "std")) {
      b.std = parseFloats("std", metadata.get(PREFIX + "std"));
    }
    readEnum(metadata, "resize", ResizeMode.class, v -> b.resize = v);
    readInt(metadata, "pad_multiple", v -> b.padMultiple = v);
    readInt(metadata, "stride", v -> b.stride = v);
    readEnum(metadata, "heatmaps", Activation.class, v -> b.heatmaps = v);
    readInt(metadata, "num_joints", v -> b.numJoints = v);
    readInt(metadata, "top_k", v -> b.topK = v);
    readInt(metadata, "num_dets", v -> b.numDets = v);
    String labels = metadata.get(PREFIX + "labels");
    if (labels != null) {
      try {
        b.labels = MetadataJson.stringArray(labels);
      } catch (IllegalArgumentException e) {
        throw new ModelLoadException("metadata '" + PREFIX + "labels' is not a JSON array of strings: " + e.getMessage(), e);
      }
    }
    String heads = metadata.get(PREFIX + "heads");
    if (heads != null) {
      try {
        b.headNames = new LinkedHashMap<>(MetadataJson.stringObject(heads));
      } catch (IllegalArgumentException e) {
        throw new ModelLoadException("metadata '" + PREFIX + "heads' is not a JSON object of strings: " + e.getMessage(), e);
      }
    }
    String grid = metadata.get(PREFIX + "grid_points");
    if (grid != null) {
      List<Integer> points = new ArrayList<>();
      for (String p : grid.split(",")) {
        points.add(parseInt("grid_points", p.trim()));
      }
      b.gridPoints = points;
    }
    try {
      return b.build();
    } catch (InvalidConfigException e) {
      throw new ModelLoadException("model metadata describes an invalid spec: " + e.getMessage(), e);
    }
  }

  private interface IntSink {
    void accept(int v);
  }

  private interface Sink<E> {
    void accept(E v);
  }

  private static void readInt(Map<String, String> m, String key, IntSink sink) {
    String v = m.get(PREFIX + key);
    if (v != null) {
      sink.accept(parseInt(key, v));
    }
  }

  private static <E extends Enum<E>> void readEnum(Map<String, String> m, String key, Class<E> type, Sink<E> sink) {
    String v = m.get(PREFIX + key);
    if (v != null) {
      sink.accept(parseEnum(type, key, v));
    }
  }

  private static int parseInt(String key, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ModelLoadException("metadata '" + PREFIX + key + "' is not an integer: '" + v + "'");
    }
  }

  private static float parseFloat(String key, String v) {
    try {
      return Float.parseFloat(v.trim());
    } catch (NumberFormatException e) {
      throw new ModelLoadException("metadata '" + PREFIX + key + "' is not a number: '" + v + "'");
    }
  }

  private static List<Float> parseFloats(String key, String v) {
    List<Float> out = new ArrayList<>();
    for (String p : v.split(",")) {
      out.add(parseFloat(key, p));
    }
    return out;
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String key, String v) {
    try {
      return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(
          "metadata '" + PREFIX + key + "' = '" + v + "' is not one of " + Arrays.toString(type.getEnumConstants()));
    }
  }

  /**
   * Builder of {@link ModelSpec}. {@code set*} for the required family, {@code opt*} for the rest (CenterNet
   * defaults). Not thread-safe; validation happens in {@link #build()}.
   */
  public static final class Builder {
    private ModelFamily family;
    private int inputWidth = 512;
    private int inputHeight = 512;
    private Layout layout = Layout.NCHW;
    private ChannelOrder channelOrder = ChannelOrder.BGR;
    private float valueScale = 1f / 255f;
    private List<Float> mean = List.of(0.408f, 0.447f, 0.470f);
    private List<Float> std = List.of(0.289f, 0.274f, 0.278f);
    private ResizeMode resize = ResizeMode.AFFINE_WARP;
    private int padMultiple = 32;
    private int stride = 4;
    private Activation heatmaps = Activation.LOGITS;
    private List<String> labels = List.of();
    private Map<String, String> headNames = new LinkedHashMap<>();
    private int numJoints = 17;
    private List<Integer> gridPoints = List.of();
    private int topK;
    private int numDets;

    private Builder() {}

    public Builder setFamily(ModelFamily v) {
      family = InvalidConfigException.requireOption(v, "setFamily");
      return this;
    }

    public Builder optInputSize(int width, int height) {
      inputWidth = width;
      inputHeight = height;
      return this;
    }

    public Builder optLayout(Layout v) {
      layout = InvalidConfigException.requireOption(v, "optLayout");
      return this;
    }

    public Builder optChannelOrder(ChannelOrder v) {
      channelOrder = InvalidConfigException.requireOption(v, "optChannelOrder");
      return this;
    }

    public Builder optValueScale(float v) {
      valueScale = v;
      return this;
    }

    public Builder optMeanStd(float[] meanValues, float[] stdValues) {
      mean = toList(meanValues);
      std = toList(stdValues);
      return this;
    }

    public Builder optResize(ResizeMode v) {
      resize = InvalidConfigException.requireOption(v, "optResize");
      return this;
    }

    public Builder optPadMultiple(int v) {
      padMultiple = v;
      return this;
    }

    public Builder optStride(int v) {
      stride = v;
      return this;
    }

    public Builder optHeatmaps(Activation v) {
      heatmaps = InvalidConfigException.requireOption(v, "optHeatmaps");
      return this;
    }

    public Builder optLabels(List<String> v) {
      labels = InvalidConfigException.requireOption(v, "optLabels");
      return this;
    }

    /** Maps a canonical head name (e.g. {@code hm}) to the model's output name. */
    public Builder optHeadName(String canonical, String outputName) {
      headNames.put(canonical, outputName);
      return this;
    }

    public Builder optNumJoints(int v) {
      numJoints = v;
      return this;
    }

    /** GRIDNEIGHBOR: the point flags in channel order (metadata {@code keydet.grid_points}). */
    public Builder optGridPoints(List<Integer> v) {
      gridPoints = InvalidConfigException.requireOption(v, "optGridPoints");
      return this;
    }

    /** The model's own test-time K and grouped-detection cap; 0 (the default): the family's. */
    public Builder optTestDefaults(int k, int dets) {
      topK = k;
      numDets = dets;
      return this;
    }

    /** The spec; throws {@link InvalidConfigException} naming the bad value. */
    public ModelSpec build() {
      return new ModelSpec(
          family, inputWidth, inputHeight, layout, channelOrder, valueScale, mean, std, resize, padMultiple,
          stride, heatmaps, labels, headNames, numJoints, gridPoints, topK, numDets);
    }

    private static List<Float> toList(float[] values) {
      List<Float> out = new ArrayList<>(values.length);
      for (float v : values) {
        out.add(v);
      }
      return out;
    }
  }
}
