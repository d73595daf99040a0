package io.github.keydet.core.encode;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Name, type and shape of one target tensor (e.g. {@code hm} FLOAT {@code [C, H, W]}, {@code ind} LONG {@code
 * [M]}, {@code reg_mask} UINT8 {@code [M]}).
 *
 * @param name the name the original code uses as its batch key
 * @param dataType FLOAT, LONG or UINT8
 * @param shape the shape, without batch dimension
 */
public record TargetSpec(String name, DataType dataType, long[] shape) {

  /** Copies the shape. */
  public TargetSpec {
    shape = shape.clone();
  }

  /** A copy of the shape. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of elements. */
  public long length() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  @Override
  public String toString() {
    return name + " " + dataType + " " + Arrays.toString(shape);
  }
}
