package io.github.keydet.core.spec;

import io.github.keydet.api.ModelFamily;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The declarative table from family to heads (like CenterNet's {@code opts.py}): which canonical heads a family
 * needs, which are optional, and how to recognise a family from output names alone.
 */
public final class HeadTable {
  private HeadTable() {}

  /**
   * One head of a family.
   *
   * @param name canonical name (the ONNX output name unless the spec maps it)
   * @param required whether decoding fails without it
   */
  public record Head(String name, boolean required) {}

  /** The heads of a family; for GRID_POINTS, pass the grid points (otherwise ignored). */
  public static List<Head> heads(ModelFamily family, int[] gridPoints) {
    List<Head> h = new ArrayList<>();
    switch (family) {
      case CENTERNET -> add(h, true, "hm", "wh").add(h, false, "reg");
      case TTFNET_LTRB -> add(h, true, "hm", "ltrb");
      case CORNERNET -> add(h, true, "tl_heat", "br_heat", "tl_tag", "br_tag").add(h, false, "tl_regr", "br_regr");
      case CENTERNET_TRIPLETS -> add(h, true, "tl_heat", "br_heat", "tl_tag", "br_tag", "ct_heat")
          .add(h, false, "tl_regr", "br_regr", "ct_regr");
      case EXTREMENET -> add(h, true, "t_heat", "l_heat", "b_heat", "r_heat", "ct_heat")
          .add(h, false, "t_regr", "l_regr", "b_regr", "r_regr");
      case MULTI_POSE -> add(h, true, "hm", "wh", "hps").add(h, false, "reg", "hm_hp", "hp_offset");
      case DDD -> add(h, true, "hm", "dep", "rot", "dim").add(h, false, "wh", "reg");
      case GRID_POINTS -> {
        int[] points = gridPoints == null || gridPoints.length == 0 ? new int[] {4} : gridPoints;
        for (int p : points) {
          h.add(new Head("hm_p" + p, true));
        }
        add(h, true, "wh").add(h, false, "reg");
      }
      default -> throw new IllegalStateException("unhandled family " + family);
    }
    return List.copyOf(h);
  }

  private static Adder add(List<Head> heads, boolean required, String... names) {
    return new Adder().add(heads, required, names);
  }

  private static final class Adder {
    Adder add(List<Head> heads, boolean required, String... names) {
      for (String n : names) {
        heads.add(new Head(n, required));
      }
      return this;
    }
  }

  /**
   * Recognises a family from the output names of a model that carries no spec, most specific first. Empty
   * when nothing matches.
   */
  public static Optional<ModelFamily> inferFamily(Collection<String> outputNames) {
    if (outputNames.contains("tl_heat") && outputNames.contains("ct_heat")) {
      return Optional.of(ModelFamily.CENTERNET_TRIPLETS);
    }
    if (outputNames.contains("tl_heat")) {
      return Optional.of(ModelFamily.CORNERNET);
    }
    if (outputNames.contains("t_heat")) {
      return Optional.of(ModelFamily.EXTREMENET);
    }
    if (outputNames.contains("hps")) {
      return Optional.of(ModelFamily.MULTI_POSE);
    }
    if (outputNames.contains("dep")) {
      return Optional.of(ModelFamily.DDD);
    }
    if (outputNames.stream().anyMatch(n -> n.startsWith("hm_p"))) {
      return Optional.of(ModelFamily.GRID_POINTS);
    }
    if (outputNames.contains("hm") && outputNames.contains("ltrb")) {
      return Optional.of(ModelFamily.TTFNET_LTRB);
    }
    if (outputNames.contains("hm") && outputNames.contains("wh")) {
      return Optional.of(ModelFamily.CENTERNET);
    }
    return Optional.empty();
  }
}
