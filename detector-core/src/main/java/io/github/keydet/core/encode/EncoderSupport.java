package io.github.keydet.core.encode;

import io.github.keydet.core.image.AffineTransform;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shared plumbing of the encoders, so that each states only what is specific to its family: object checks, box
 * mapping, output validation and clearing, Gaussian drawing with a kernel cache, offset / index writing, argument
 * checks. An instance serves one {@code encodeInto} call (not thread-safe); the static helpers are stateless.
 */
final class EncoderSupport {
  private final TargetSet out;
  private double[][] kernels = new double[64][];
  private final double sigmaDivisor;
  /** Output map height H. */
  final int oh;
  /** Output map width W. */
  final int ow;
  /** H * W, the offset from one heatmap channel to the next. */
  final int plane;

  private EncoderSupport(TargetSet out, double sigmaDivisor, TargetGeometry geometry) {
    this.out = out;
    this.sigmaDivisor = sigmaDivisor;
    this.oh = geometry.outputHeight();
    this.ow = geometry.outputWidth();
    this.plane = oh * ow;
  }

  /** Checks every spec's array in {@code out} and zeroes it; drawing then happens on {@code geometry}'s output map. */
  static EncoderSupport prepare(List<TargetSpec> specs, TargetSet out, TargetGeometry geometry) {
    for (TargetSpec s : specs) {
      INDArray a = out.get(s.name());
      TargetArrays.requireWritable(s.name(), a, s.dataType(), s.shape());
    }
    for (TargetSpec s : specs) {
      out.get(s.name()).assign(0);
    }
    return new EncoderSupport(out, Gaussians.DEFAULT_SIGMA_DIVISOR, geometry);
  }

  /** A family's own requirement on an object (keypoints, 3D annotation...), beyond the class range. */
  @FunctionalInterface
  interface ObjectCheck {
    /** Throws {@link InvalidInputException} naming object {@code index} if it lacks what the family needs. */
    void check(ObjectAnnotation o, int index);

    /** No requirement. */
    ObjectCheck NONE = (o, index) -> {};
  }

  /**
   * Checks the objects that will be encoded, the first {@code min(size, limit)}, in order: class id in [0, C), then
   * {@code check}. Returns that count.
   *
   * @throws NullPointerException if {@code objects} is null
   * @throws InvalidInputException for the first object that fails
   */
  static int checkObjects(List<ObjectAnnotation> objects, int limit, int numClasses, ObjectCheck check) {
    Objects.requireNonNull(objects, "objects");
    int n = Math.min(objects.size(), limit);
    for (int k = 0; k < n; k++) {
      ObjectAnnotation o = objects.get(k);
      checkClass(o, k, numClasses);
      check.check(o, k);
    }
    return n;
  }

  /**
   * A CenterNet object on the output map: its box ({@link #outputBox}), size, float center (corner mean in
   * float32) and integer center (truncated).
   */
  record Center(float[] box, float w, float h, float ctx, float cty, int cx, int cy) {}

  /** The object's {@link Center}, or null if its clipped box has no area (the object is then skipped). */
  static Center center(ObjectAnnotation o, TargetGeometry g) {
    float[] b = outputBox(o, g);
    float h = b[3] - b[1];
    float w = b[2] - b[0];
    if (!(h > 0 && w > 0)) {
      return null;
    }
    float ctx = (b[0] + b[2]) / 2;
    float cty = (b[1] + b[3]) / 2;
    return new Center(b, w, h, ctx, cty, (int) ctx, (int) cty);
  }

  /** CenterNet's per-object slot: {@code wh[k] = (w, h)}, center offset and index, {@code reg_mask[k] = 1}. */
  void putCenter(
      Center c, int k, FloatBuffer wh, FloatBuffer reg, LongBuffer ind, ByteBuffer regMask) {
    wh.put(2 * k, c.w());
    wh.put(2 * k + 1, c.h());
    putPoint(reg, ind, k, c.ctx(), c.cty());
    regMask.put(k, (byte) 1);
  }

  /**
   * A point at output-map position (fx, fy): {@code reg[slot] = (fx - int(fx), fy - int(fy))} as float32 and
   * {@code ind[slot] = int(fy) * W + int(fx)}.
   */
  void putPoint(FloatBuffer reg, LongBuffer ind, int slot, double fx, double fy) {
    int x = (int) fx;
    int y = (int) fy;
    reg.put(2 * slot, (float) (fx - x));
    reg.put(2 * slot + 1, (float) (fy - y));
    ind.put(slot, (long) y * ow + x);
  }

  /** Draws the default umich Gaussian of {@code radius} at cell (x, y) of the channel at {@code off}, by maximum. */
  void gaussian(FloatBuffer hm, int off, int x, int y, int radius) {
    Gaussians.drawUmich(hm, off, oh, ow, x, y, radius, kernel(radius), 1.0);
  }

  /**
   * CornerNet's point drawing: a umich Gaussian with sigma = diameter / {@code sigmaDivisor} at cell (x, y), or
   * without {@code gaussianBump} a single 1 (if the cell is on the map).
   */
  void drawPoint(FloatBuffer hm, int off, int x, int y, int radius, double sigmaDivisor, boolean gaussianBump) {
    if (!gaussianBump) {
      if (x >= 0 && y >= 0 && x < ow && y < oh) {
        hm.put(off + y * ow + x, 1f);
      }
      return;
    }
    double[] kernel =
        sigmaDivisor == Gaussians.DEFAULT_SIGMA_DIVISOR
            ? kernel(radius)
            : Gaussians.umichKernel(radius, sigmaDivisor);
    Gaussians.drawUmich(hm, off, oh, ow, x, y, radius, kernel, 1.0);
  }

  /**
   * CornerNet's keypoint: {@link #drawPoint} at cell (int(fx), int(fy)) and {@link #putPoint} into {@code regr} /
   * {@code tag} at {@code slot}.
   */
  void cornerPoint(
      FloatBuffer hm,
      int off,
      double fx,
      double fy,
      int radius,
      double sigmaDivisor,
      boolean gaussianBump,
      FloatBuffer regr,
      LongBuffer tag,
      int slot) {
    drawPoint(hm, off, (int) fx, (int) fy, radius, sigmaDivisor, gaussianBump);
    putPoint(regr, tag, slot, fx, fy);
  }

  FloatBuffer f(String name) {
    return TargetArrays.floatView(out.get(name));
  }

  LongBuffer l(String name) {
    return TargetArrays.longView(out.get(name));
  }

  ByteBuffer b(String name) {
    return TargetArrays.byteView(out.get(name));
  }

  /** The umich kernel for {@code radius} with the default divisor, cached for this call. */
  double[] kernel(int radius) {
    if (radius >= kernels.length) {
      double[][] k = new double[Math.max(radius + 1, kernels.length * 2)][];
      System.arraycopy(kernels, 0, k, 0, kernels.length);
      kernels = k;
    }
    double[] k = kernels[radius];
    if (k == null) {
      k = Gaussians.umichKernel(radius, sigmaDivisor);
      kernels[radius] = k;
    }
    return k;
  }

  static void checkClass(ObjectAnnotation o, int index, int numClasses) {
    if (o.classId() >= numClasses) {
      throw new InvalidInputException(
          "object " + index + " has class id " + o.classId() + ", out of range [0, " + numClasses + ")");
    }
  }

  static void checkPositive(String what, int v) {
    if (v <= 0) {
      throw new InvalidConfigException(what + " must be > 0, got " + v);
    }
  }

  /**
   * CenterNet's box mapping: both corners through {@code imageToOutput}, x clipped to [0, W - 1], y to [0, H - 1].
   */
  static float[] outputBox(ObjectAnnotation o, TargetGeometry g) {
    AffineTransform t = g.imageToOutput();
    float maxX = g.outputWidth() - 1;
    float maxY = g.outputHeight() - 1;
    return new float[] {
      clip(t.applyX(o.x1(), o.y1()), 0, maxX),
      clip(t.applyY(o.x1(), o.y1()), 0, maxY),
      clip(t.applyX(o.x2(), o.y2()), 0, maxX),
      clip(t.applyY(o.x2(), o.y2()), 0, maxY)
    };
  }

  /** CornerNet's box mapping: corners through {@code imageToInput}, clipped to [0, inW - 1] x [0, inH - 1]. */
  static float[] inputBox(ObjectAnnotation o, TargetGeometry g) {
    AffineTransform t = g.imageToInput();
    float maxX = g.inputWidth() - 1;
    float maxY = g.inputHeight() - 1;
    return new float[] {
      clip(t.applyX(o.x1(), o.y1()), 0, maxX),
      clip(t.applyY(o.x1(), o.y1()), 0, maxY),
      clip(t.applyX(o.x2(), o.y2()), 0, maxX),
      clip(t.applyY(o.x2(), o.y2()), 0, maxY)
    };
  }

  static float clip(float v, float lo, float hi) {
    return v < lo ? lo : (v > hi ? hi : v);
  }

  static TargetSpec f32(String name, long... shape) {
    return new TargetSpec(name, DataType.FLOAT, shape);
  }

  static TargetSpec i64(String name, long... shape) {
    return new TargetSpec(name, DataType.LONG, shape);
  }

  static TargetSpec u8(String name, long... shape) {
    return new TargetSpec(name, DataType.UINT8, shape);
  }
}
