package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The target tensors of one sample, by the names the original code uses ({@code hm}, {@code wh}, {@code reg},
 * {@code ind}, {@code reg_mask}, {@code tl_heatmaps}...), in the order of the encoder's {@link TargetSpec}s.
 *
 * <p>Owns its ND4J arrays: {@link #close()} releases them; an array obtained with {@link #get} must not be used after
 * that. The set of names is fixed; the arrays' contents are rewritten by {@link TargetEncoder#encodeInto}. Not
 * thread-safe while being encoded into.
 */
public final class TargetSet implements AutoCloseable {
  private final Map<String, INDArray> arrays;
  private volatile boolean closed;

  /**
   * Wraps named arrays (kept in iteration order).
   *
   * @param arrays name to array; the set takes ownership
   */
  public TargetSet(Map<String, INDArray> arrays) {
    this.arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
  }

  /**
   * The array named {@code name}.
   *
   * @throws InvalidInputException if there is none (the message lists the names present)
   * @throws IllegalStateException after {@link #close()}
   */
  public INDArray get(String name) {
    if (closed) {
      throw new IllegalStateException("target set is closed");
    }
    INDArray a = arrays.get(name);
    if (a == null) {
      throw new InvalidInputException("no target '" + name + "': this set has " + arrays.keySet());
    }
    return a;
  }

  /** Whether a target of that name is present. */
  public boolean has(String name) {
    return arrays.containsKey(name);
  }

  /** The names, in order. */
  public List<String> names() {
    return List.copyOf(arrays.keySet());
  }

  /** Name to array, read-only, in order. */
  public Map<String, INDArray> asMap() {
    if (closed) {
      throw new IllegalStateException("target set is closed");
    }
    return arrays;
  }

  /** Releases the arrays' native memory. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (INDArray a : arrays.values()) {
      if (a.closeable()) {
        a.close();
      }
    }
  }
}
