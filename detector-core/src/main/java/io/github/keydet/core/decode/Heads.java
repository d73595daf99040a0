package io.github.keydet.core.decode;

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
  private final Layout layout;

  /**
   * Heads by canonical name.
   *
   * @param arrays name to rank-4 array; copied
   * @param layout the layout of every array
   */
  public Heads(Map<String, INDArray> arrays, Layout layout) {
    this.arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    this.layout = layout;
  }

  /** Heads in NCHW. */
  public static Heads nchw(Map<String, INDArray> arrays) {
    return new Heads(arrays, Layout.NCHW);
  }

  public Layout layout() {
    return layout;
  }

  /** The array of a head that must be present. */
  public INDArray require(String name) {
    INDArray a = arrays.get(name);
    if (a == null) {
      throw new InvalidInputException("missing head '" + name + "': have " + arrays.keySet());
    }
    return a;
  }

  /** A view of a head that must be present. */
  public HeadView view(String name) {
    return HeadView.of(name, require(name), layout);
  }

  /** A view of an optional head, empty when absent. */
  public Optional<HeadView> optView(String name) {
    INDArray a = arrays.get(name);
    return a == null ? Optional.empty() : Optional.of(HeadView.of(name, a, layout));
  }

  /** Whether a head is present. */
  public boolean has(String name) {
    return arrays.containsKey(name);
  }

  /** All heads, read-only. */
  public Map<String, INDArray> asMap() {
    return arrays;
  }
}
