package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct access to ND4J arrays for the target and loss code: views of a whole, dense, C-ordered array's native
 * buffer (no copy), and shape checks with messages that name the tensor and both shapes. Stateless.
 */
public final class TargetArrays {
  private TargetArrays() {}

  /** Whether {@code a} is dense, C-ordered and covers its whole buffer from offset 0 (a view is then possible). */
  public static boolean isWholeBuffer(INDArray a) {
    return a.offset() == 0
        && a.ordering() == 'c'
        && (a.length() <= 1 || a.elementWiseStride() == 1)
        && a.data().length() == a.length();
  }

  /** Throws unless {@code a} has exactly {@code shape}. */
  public static void requireShape(String name, INDArray a, long... shape) {
    if (!Arrays.equals(a.shape(), shape)) {
      throw new InvalidInputException(
          "'" + name + "' has shape " + Arrays.toString(a.shape()) + ", expected " + Arrays.toString(shape));
    }
  }

  /** Throws unless {@code a} is a whole-buffer C-ordered array of the given type and shape. */
  public static void requireWritable(String name, INDArray a, DataType type, long... shape) {
    requireShape(name, a, shape);
    if (a.dataType() != type) {
      throw new InvalidInputException("'" + name + "' is " + a.dataType() + ", expected " + type);
    }
    if (!isWholeBuffer(a)) {
      throw new InvalidInputException(
          "'" + name + "' must be a dense C-ordered array that owns its buffer (not a view), got ordering "
              + a.ordering() + ", offset " + a.offset());
    }
  }

  /** A float view of a whole-buffer FLOAT array (writes go to the array). */
  public static FloatBuffer floatView(INDArray a) {
    return a.data().asNioFloat();
  }

  /** A long view of a whole-buffer LONG array. */
  public static LongBuffer longView(INDArray a) {
    return a.data().asNioLong();
  }

  /** A byte view of a whole-buffer UINT8 / INT8 / BOOL array. */
  public static ByteBuffer byteView(INDArray a) {
    return a.data().asNio();
  }

  /**
   * Float contents for reading, in C order: a view when {@code a} is a whole-buffer FLOAT array, otherwise a copy
   * converted to float. Never write through the result.
   */
  public static FloatBuffer readFloats(INDArray a) {
    if (a.dataType() == DataType.FLOAT && isWholeBuffer(a)) {
      return a.data().asNioFloat();
    }
    return FloatBuffer.wrap(a.dup('c').castTo(DataType.FLOAT).data().asFloat());
  }

  /** Contents as long values in C order (a copy; for small index / mask arrays of any numeric type). */
  public static long[] readLongs(INDArray a) {
    if (a.length() == 0) {
      return new long[0];
    }
    return a.dup('c').castTo(DataType.LONG).data().asLong();
  }

  /** Throws if any value is NaN. */
  public static void requireNoNaN(String name, FloatBuffer b, int length) {
    for (int i = 0; i < length; i++) {
      if (Float.isNaN(b.get(i))) {
        throw new InvalidInputException("'" + name + "' has NaN at flat index " + i);
      }
    }
  }
}
