package io.github.keydet.core.target;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shared plumbing of the encoders: output validation and clearing, kernel cache, argument checks. */
final class EncoderSupport {
  private final TargetSet out;
  private double[][] kernels = new double[64][];
  private final double sigmaDivisor;

  private EncoderSupport(TargetSet out, double sigmaDivisor) {
    this.out = out;
    this.sigmaDivisor = sigmaDivisor;
  }

  /** Checks every spec's array in {@code out} and zeroes it. */
  static EncoderSupport prepare(List<TargetSpec> specs, TargetSet out) {
    for (TargetSpec s : specs) {
      INDArray a = out.get(s.name());
      TargetArrays.requireWritable(s.name(), a, s.dataType(), s.shape());
    }
    for (TargetSpec s : specs) {
      out.get(s.name()).assign(0);
    }
    return new EncoderSupport(out, Gaussians.DEFAULT_SIGMA_DIVISOR);
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
