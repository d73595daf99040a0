package io.github.keydet.core.family;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelFamily;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of detector families: family id to its {@link DetectorFamily}, the one place that lists them.
 * Adding a family is one class and one line in {@link #ALL}. The order is the order in which a model without a
 * spec is recognised from its output names (most specific first: Triplets and Saccade before CornerNet, which all have
 * corner heat maps; LTRB and CenterNet last, as many families also have {@code hm}). Immutable.
 */
public final class Families {
  private static final List<DetectorFamily> ALL = List.of(
      new TripletsFamily(),
      new SaccadeFamily(),
      new CornerNetFamily(),
      new ExtremeNetFamily(),
      new TfodPoseFamily(),
      new MultiPoseFamily(),
      new DddFamily(),
      new GridNeighborFamily(),
      new LandmarkFamily(),
      new DeepFashion2Family(),
      new LtrbFamily(),
      new CenterNetFamily());

  private static final Map<ModelFamily, DetectorFamily> BY_ID = byId();

  private Families() {}

  private static Map<ModelFamily, DetectorFamily> byId() {
    Map<ModelFamily, DetectorFamily> m = new LinkedHashMap<>();
    for (DetectorFamily f : ALL) {
      if (m.put(f.id(), f) != null) {
        throw new IllegalStateException("two families with id " + f.id());
      }
    }
    return Map.copyOf(m);
  }

  /** Every registered family, in recognition order. */
  public static List<DetectorFamily> all() {
    return ALL;
  }

  /** The ids of the registered families, in recognition order. */
  public static List<ModelFamily> ids() {
    return ALL.stream().map(DetectorFamily::id).toList();
  }

  /**
   * The family with this id.
   *
   * @throws InvalidConfigException for a null or unregistered id, listing the registered ones
   */
  public static DetectorFamily of(ModelFamily id) {
    if (id == null) {
      throw new InvalidConfigException("family must not be null; expected one of " + ids());
    }
    DetectorFamily f = BY_ID.get(id);
    if (f == null) {
      throw new InvalidConfigException("unknown family '" + id + "': expected one of " + ids());
    }
    return f;
  }

  /**
   * The family named by a string, in any case ({@code "multi_pose"}).
   *
   * @throws InvalidConfigException for an unknown or malformed name, listing the registered ones
   */
  public static DetectorFamily named(String name) {
    try {
      return of(ModelFamily.of(name));
    } catch (InvalidConfigException e) {
      throw new InvalidConfigException("unknown family '" + name + "': expected one of " + ids());
    }
  }

  /** The first family (in registry order) that recognises a spec-less model by its output names. */
  public static Optional<DetectorFamily> infer(Collection<String> outputNames) {
    Set<String> names = Set.copyOf(outputNames);
    return ALL.stream().filter(f -> f.recognises(names)).findFirst();
  }
}
