package io.github.keydet.core.heads;

import io.github.keydet.api.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The named output heads of one network run (canonical names such as {@code hm}, {@code wh}, {@code tl_heat}),
 * in one layout. A typed hand-off from the runtime to a decoder: a missing head is an error naming what is
 * there. Does not own the arrays.
 */
public final class Heads {
  private final Map<String, INDArray> arrays;
  private final Map<String, HeadView> views;
  private final Layout layout;

  /**
   * Heads by canonical name.
   *
   * @param arrays name to rank-4 array; copied
   * @param layout the layout of every array
   */
  public Heads(Map<String, INDArray> arrays, Layout layout) {
    this(Collections.unmodifiableMap(new LinkedHashMap<>(arrays)), Map.of(), layout);
  }

  private Heads(Map<String, INDArray> arrays, Map<String, HeadView> views, Layout layout) {
    this.arrays = arrays;
    this.views = views;
    this.layout = layout;
  }

  /**
   * Heads over existing views (e.g. ONNX Runtime output buffers), without copying. {@link #require} then
   * copies a head into a new ND4J array on demand.
   */
  public static Heads ofViews(Map<String, HeadView> views, Layout layout) {
    for (Map.Entry<String, HeadView> e : views.entrySet()) {
      if (e.getValue().layout() != layout) {
        throw new InvalidInputException("head '" + e.getKey() + "' is " + e.getValue().layout() + ", expected " + layout);
      }
    }
    return new Heads(Map.of(), Collections.unmodifiableMap(new LinkedHashMap<>(views)), layout);
  }

  /** Heads in NCHW. */
  public static Heads nchw(Map<String, INDArray> arrays) {
    return new Heads(arrays, Layout.NCHW);
  }

  public Layout layout() {
    return layout;
  }

  /** The array of a head that must be present (a copy when these heads wrap views). */
  public INDArray require(String name) {
    INDArray a = arrays.get(name);
    if (a != null) {
      return a;
    }
    HeadView v = views.get(name);
    if (v == null) {
      throw new InvalidInputException("missing head '" + name + "': have " + names());
    }
    return v.toINDArray();
  }

  /** A view of a head that must be present. */
  public HeadView view(String name) {
    HeadView v = views.get(name);
    if (v != null) {
      return v;
    }
    INDArray a = arrays.get(name);
    if (a == null) {
      throw new InvalidInputException("missing head '" + name + "': have " + names());
    }
    return HeadView.of(name, a, layout);
  }

  /** A view of an optional head, empty when absent. */
  public Optional<HeadView> optView(String name) {
    return has(name) ? Optional.of(view(name)) : Optional.empty();
  }

  /** Whether a head is present. */
  public boolean has(String name) {
    return arrays.containsKey(name) || views.containsKey(name);
  }

  /** The heads of one batch item (batch 1), sharing memory with these. */
  public Heads batchItem(int n) {
    Map<String, HeadView> items = new LinkedHashMap<>();
    for (String name : names()) {
      items.put(name, view(name).batchItem(n));
    }
    return ofViews(items, layout);
  }

  /** The names of the heads present. */
  public java.util.Set<String> names() {
    java.util.Set<String> all = new java.util.LinkedHashSet<>(arrays.keySet());
    all.addAll(views.keySet());
    return all;
  }
}
