package io.github.keydet.core.heads;

import io.github.keydet.api.InvalidInputException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A read-only view of one rank-4 float head ({@code [N, C, H, W]} or {@code [N, H, W, C]}) that reads the
 * array's buffer directly, so hot loops pay no per-element ND4J call. Arrays that are not contiguous c-order
 * float are copied once.
 *
 * <p>The view does not own the array: it is valid as long as the array is.
 */
public final class HeadView {
  private final String name;
  private final FloatBuffer data;
  private final int offset;
  private final int batch;
  private final int channels;
  private final int height;
  private final int width;
  private final Layout layout;
  private final int strideN;
  private final int strideC;
  private final int strideY;
  private final int strideX;
  /**
   * What owns the memory behind {@link #data}: an ND4J buffer's NIO view does not keep its native memory alive, so
   * a view of a copy made here (cast or c-order dup) would read freed memory once the copy is collected. Null when
   * the buffer owns its memory (heap arrays, ONNX Runtime's outputs, direct buffers).
   */
  @SuppressWarnings("unused")
  private final Object owner;

  private HeadView(String name, FloatBuffer data, int offset, Layout layout, long[] shape, Object owner) {
    this.owner = owner;
    this.name = name;
    this.data = data;
    this.offset = offset;
    this.layout = layout;
    if (layout == Layout.NCHW) {
      batch = (int) shape[0];
      channels = (int) shape[1];
      height = (int) shape[2];
      width = (int) shape[3];
      strideX = 1;
      strideY = width;
      strideC = width * height;
      strideN = strideC * channels;
    } else {
      batch = (int) shape[0];
      height = (int) shape[1];
      width = (int) shape[2];
      channels = (int) shape[3];
      strideC = 1;
      strideX = channels;
      strideY = channels * width;
      strideN = strideY * height;
    }
  }

  /**
   * Views a head.
   *
   * @param name the head's name, used in error messages
   * @param array a rank-4 array in the given layout
   * @param layout how the array's dimensions are ordered
   * @throws InvalidInputException if the array is null, not rank 4, or empty
   */
  public static HeadView of(String name, INDArray array, Layout layout) {
    if (array == null) {
      throw new InvalidInputException("missing head '" + name + "'");
    }
    if (array.rank() != 4) {
      throw new InvalidInputException(
          "head '" + name + "' must have rank 4 " + (layout == Layout.NCHW ? "[N, C, H, W]" : "[N, H, W, C]")
              + ", got shape " + Arrays.toString(array.shape()));
    }
    long[] shape = array.shape();
    for (long d : shape) {
      if (d <= 0) {
        throw new InvalidInputException("head '" + name + "' is empty: shape " + Arrays.toString(shape));
      }
    }
    if (array.length() > Integer.MAX_VALUE) {
      throw new InvalidInputException("head '" + name + "' is too large: " + array.length() + " elements");
    }
    INDArray contiguous = array;
    if (array.dataType() != DataType.FLOAT) {
      contiguous = array.castTo(DataType.FLOAT);
    }
    // A permuted array is not a "view" and may report ordering 'c' while its strides are not c-order:
    // only trust the buffer when the strides are the default c-order ones.
    if (contiguous.isView() || contiguous.ordering() != 'c' || !contiguous.isR()
        || !Arrays.equals(contiguous.stride(), org.nd4j.linalg.factory.Nd4j.getStrides(shape, 'c'))) {
      contiguous = contiguous.dup('c');
    }
    FloatBuffer buffer = contiguous.data().asNioFloat();
    return new HeadView(name, buffer, (int) contiguous.offset(), layout, shape, contiguous);
  }

  /** Views a head stored in a plain Java array (row-major in the given layout). */
  public static HeadView of(String name, float[] values, long[] shape, Layout layout) {
    return of(name, FloatBuffer.wrap(values), shape, layout);
  }

  /**
   * Views a head stored in a float buffer from its position on (row-major in the given layout), e.g. an ONNX
   * Runtime output. The buffer is not copied.
   */
  public static HeadView of(String name, FloatBuffer values, long[] shape, Layout layout) {
    if (shape.length != 4) {
      throw new InvalidInputException("head '" + name + "' must have rank 4, got " + Arrays.toString(shape));
    }
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != values.remaining() || n == 0) {
      throw new InvalidInputException(
          "head '" + name + "' has " + values.remaining() + " values, shape " + Arrays.toString(shape) + " needs " + n);
    }
    return new HeadView(name, values, values.position(), layout, shape, null);
  }

  public String name() {
    return name;
  }

  public Layout layout() {
    return layout;
  }

  public int batch() {
    return batch;
  }

  public int channels() {
    return channels;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** The value at batch n, channel c, row y, column x. */
  public float get(int n, int c, int y, int x) {
    return data.get(offset + n * strideN + c * strideC + y * strideY + x * strideX);
  }

  /**
   * The value at batch n, channel c, row y, column x, which must not be NaN.
   *
   * @throws InvalidInputException naming the head and the place when it is NaN
   */
  public float finite(int n, int c, int y, int x) {
    float v = get(n, c, y, x);
    if (Float.isNaN(v)) {
      throw new InvalidInputException(
          "NaN in head '" + name + "' at batch " + n + ", channel " + c + ", y " + y + ", x " + x);
    }
    return v;
  }

  /**
   * All channels of batch item {@code n} as row-major planes {@code [C][H * W]} (cell y·W + x), read in one pass in
   * memory order, whatever the layout: for decoders that look at every cell of many channels.
   *
   * @throws InvalidInputException naming the head and the place of the first NaN
   */
  public float[][] planes(int n) {
    float[][] out = new float[channels][height * width];
    float[] arr = heapArray();
    int arrOff = arrayOffset();
    int inner = layout == Layout.NHWC ? channels : width;
    int outer = layout == Layout.NHWC ? height * width : channels * height;
    int base = offset + n * strideN;
    for (int o = 0; o < outer; o++) {
      int rowStart = base + o * inner; // contiguous: NHWC one cell's channels, NCHW one row of a channel
      for (int i = 0; i < inner; i++) {
        float v = arr != null ? arr[arrOff + rowStart + i] : data.get(rowStart + i);
        int c = layout == Layout.NHWC ? i : o / height;
        int cell = layout == Layout.NHWC ? o : (o % height) * width + i;
        if (Float.isNaN(v)) {
          throw new InvalidInputException("NaN in head '" + name + "' at batch " + n + ", channel " + c + ", y "
              + cell / width + ", x " + cell % width);
        }
        out[c][cell] = v;
      }
    }
    return out;
  }

  /** A view of one batch item (batch 1), sharing this view's buffer. */
  public HeadView batchItem(int n) {
    if (n < 0 || n >= batch) {
      throw new InvalidInputException("batch index " + n + " outside head '" + name + "' of batch " + batch);
    }
    long[] shape = layout == Layout.NCHW
        ? new long[] {1, channels, height, width}
        : new long[] {1, height, width, channels};
    return new HeadView(name, data, offset + n * strideN, layout, shape, owner);
  }

  /** A copy of this head as a c-order ND4J array in its layout's shape. */
  public INDArray toINDArray() {
    float[] copy = new float[batch * channels * height * width];
    FloatBuffer dup = data.duplicate();
    dup.position(offset);
    dup.get(copy);
    long[] shape = layout == Layout.NCHW
        ? new long[] {batch, channels, height, width}
        : new long[] {batch, height, width, channels};
    return org.nd4j.linalg.factory.Nd4j.create(copy, shape, 'c');
  }

  // Low-level access for decoders that walk the buffer themselves (read it once, no per-element calls).
  // The buffer and array stay owned by the view's creator: callers read, never write.

  /** Buffer index of (n, c, y, x); for loops that step through the buffer themselves. */
  public int index(int n, int c, int y, int x) {
    return offset + n * strideN + c * strideC + y * strideY + x * strideX;
  }

  /** The backing buffer (absolute indices from {@link #index}); read only by contract. */
  public FloatBuffer buffer() {
    return data;
  }

  /** The backing heap array when there is one (buffer index i is array index {@link #arrayOffset()} + i). */
  public float[] heapArray() {
    return data.hasArray() && !data.isReadOnly() ? data.array() : null;
  }

  /** Offset of buffer index 0 in {@link #heapArray()}. */
  public int arrayOffset() {
    return data.hasArray() && !data.isReadOnly() ? data.arrayOffset() : 0;
  }

  /** Buffer step of one channel. */
  public int strideC() {
    return strideC;
  }

  /** Buffer step of one row. */
  public int strideY() {
    return strideY;
  }

  /** Buffer step of one column. */
  public int strideX() {
    return strideX;
  }

  /**
   * Checks that this head has the batch size and spatial size of {@code reference} and the given number of
   * channels (negative: any).
   *
   * @throws InvalidInputException naming both shapes when they disagree
   */
  public HeadView requireSameGrid(HeadView reference, int expectedChannels) {
    boolean gridOk = batch == reference.batch && height == reference.height && width == reference.width;
    boolean channelsOk = expectedChannels < 0 || channels == expectedChannels;
    if (!gridOk || !channelsOk) {
      throw new InvalidInputException(
          "head '" + name + "' has shape " + describe() + " but '" + reference.name + "' is "
              + reference.describe() + (expectedChannels >= 0 ? "; expected " + expectedChannels + " channels" : ""));
    }
    return this;
  }

  /** Shape as text in this view's layout, e.g. {@code [1, 80, 128, 128] (NCHW)}. */
  public String describe() {
    return layout == Layout.NCHW
        ? "[" + batch + ", " + channels + ", " + height + ", " + width + "] (NCHW)"
        : "[" + batch + ", " + height + ", " + width + ", " + channels + "] (NHWC)";
  }
}
