package io.github.keydet.api;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of a detector family: which heads a model has and how they become detections. A value (equal by
 * id), not a closed enum: a family is defined in one place (detector-core's {@code io.github.keydet.core.family}
 * package, one class per family, listed in its registry), and a new family needs no change here. The constants
 * below name the built-in families; {@link #of(String)} names any other.
 *
 * <p>Ids are upper case letters, digits and underscores ({@code CENTERNET}, {@code MULTI_POSE}); {@link #of}
 * accepts any case and returns the constant for a built-in id. Compare with {@link #equals}. Immutable and
 * thread-safe.
 */
public final class ModelFamily {
  private static final Pattern ID = Pattern.compile("[A-Z][A-Z0-9_]*");

  /** CenterNet "Objects as Points" ctdet: center heatmap + wh + reg. */
  public static final ModelFamily CENTERNET = new ModelFamily("CENTERNET");
  /** Center heatmap + distances left/top/right/bottom from the cell (TTFNet-style; the default model). */
  public static final ModelFamily TTFNET_LTRB = new ModelFamily("TTFNET_LTRB");
  /** CornerNet and CornerNet-Lite (Saccade, Squeeze): corner heatmaps, embeddings, offsets. */
  public static final ModelFamily CORNERNET = new ModelFamily("CORNERNET");
  /** CenterNet-Triplets (Duan et al.): CornerNet plus a center heatmap that validates each box. */
  public static final ModelFamily CENTERNET_TRIPLETS = new ModelFamily("CENTERNET_TRIPLETS");
  /** ExtremeNet: four extreme-point heatmaps and a center heatmap, grouped geometrically. */
  public static final ModelFamily EXTREMENET = new ModelFamily("EXTREMENET");
  /** CenterNet multi_pose: person centers plus 17 joints. */
  public static final ModelFamily MULTI_POSE = new ModelFamily("MULTI_POSE");
  /** CenterNet ddd: 3D boxes (depth, dimensions, rotation). */
  public static final ModelFamily DDD = new ModelFamily("DDD");

  /** The built-in families by id: {@link #of} returns these instances for their ids. */
  private static final java.util.Map<String, ModelFamily> BUILT_IN = java.util.Map.of(
      CENTERNET.id, CENTERNET, TTFNET_LTRB.id, TTFNET_LTRB, CORNERNET.id, CORNERNET,
      CENTERNET_TRIPLETS.id, CENTERNET_TRIPLETS, EXTREMENET.id, EXTREMENET, MULTI_POSE.id, MULTI_POSE,
      DDD.id, DDD);

  private final String id;

  private ModelFamily(String id) {
    this.id = id;
  }

  /**
   * The family with this id, in any case ({@code "multi_pose"} is {@link #MULTI_POSE}).
   *
   * @throws InvalidConfigException for a null, blank or malformed id
   */
  public static ModelFamily of(String id) {
    if (id == null) {
      throw new InvalidConfigException("family id must not be null");
    }
    String norm = id.trim().toUpperCase(Locale.ROOT);
    if (!ID.matcher(norm).matches()) {
      throw new InvalidConfigException(
          "family id must be letters, digits and underscores starting with a letter, got '" + id + "'");
    }
    ModelFamily builtIn = BUILT_IN.get(norm);
    return builtIn != null ? builtIn : new ModelFamily(norm);
  }

  /** The id, e.g. {@code CENTERNET}. */
  public String id() {
    return id;
  }

  /** The id (the name the enum this class replaced had). */
  public String name() {
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelFamily f && f.id.equals(id);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id);
  }

  @Override
  public String toString() {
    return id;
  }
}
