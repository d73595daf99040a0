package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.nio.FloatBuffer;

/**
 * Gaussian drawing on one heatmap plane {@code [H, W]} (row-major float32, starting at {@code offset} in the given
 * buffer), as CenterNet's {@code utils/image.py} and CornerNet's {@code sample/utils.py} draw them.
 *
 * <ul>
 *   <li>"umich" ({@link #drawUmich}): integer center, diameter {@code 2r + 1}, sigma {@code diameter / 6} (Triplets
 *       draws its center heatmap with {@code diameter / 5}), values below {@code eps(double) * max} set to 0, merged
 *       with the plane by element-wise maximum. A center outside the plane draws nothing.
 *   <li>"msra" ({@link #drawMsra}): center {@code int(x + 0.5)}, window {@code 6 sigma + 1}, merged by maximum.
 *   <li>dense regression ({@link #drawDenseReg}): writes a value (or an offset field) into a {@code [D, H, W]} map
 *       where the Gaussian is at least the current heatmap.
 * </ul>
 *
 * <p>Kernels are computed in double and stored as float32, as numpy does when it merges a float64 Gaussian into a
 * float32 heatmap. Stateless and thread-safe; the buffers belong to the caller.
 */
public final class Gaussians {
  /** numpy's {@code np.finfo(np.float64).eps}, used to zero the far tail of the umich kernel. */
  public static final double FLOAT64_EPS = Math.ulp(1.0);

  /** The sigma divisor of the umich kernel ({@code sigma = diameter / 6}). */
  public static final double DEFAULT_SIGMA_DIVISOR = 6;

  private Gaussians() {}

  /**
   * The umich kernel for {@code radius}: a row-major {@code [2r + 1, 2r + 1]} array with {@code sigma = (2r + 1) /
   * sigmaDivisor}, values below {@code eps * max} set to zero ({@code gaussian2D} of the original code).
   */
  public static double[] umichKernel(int radius, double sigmaDivisor) {
    if (radius < 0) {
      throw new InvalidInputException("Gaussian radius must be >= 0, got " + radius);
    }
    if (!(sigmaDivisor > 0) || Double.isInfinite(sigmaDivisor)) {
      throw new InvalidConfigException("sigma divisor must be > 0, got " + sigmaDivisor);
    }
    int d = 2 * radius + 1;
    double sigma = d / sigmaDivisor;
    double twoSigma2 = 2 * sigma * sigma;
    double[] k = new double[d * d];
    double max = 0;
    for (int i = 0; i < d; i++) {
      double y = i - radius;
      for (int j = 0; j < d; j++) {
        double x = j - radius;
        double v = Math.exp(-(x * x + y * y) / twoSigma2);
        k[i * d + j] = v;
        max = Math.max(max, v);
      }
    }
    double cut = FLOAT64_EPS * max;
    for (int i = 0; i < k.length; i++) {
      if (k[i] < cut) {
        k[i] = 0;
      }
    }
    return k;
  }

  /** {@link #drawUmich(FloatBuffer, int, int, int, int, int, int, double[], double)} with a fresh default kernel. */
  public static void drawUmich(FloatBuffer heat, int offset, int height, int width, int cx, int cy, int radius) {
    drawUmich(heat, offset, height, width, cx, cy, radius, umichKernel(radius, DEFAULT_SIGMA_DIVISOR), 1.0);
  }

  /** Convenience overload on a {@code float[]} plane of {@code height * width} values. */
  public static void drawUmich(float[] heat, int height, int width, int cx, int cy, int radius) {
    drawUmich(FloatBuffer.wrap(heat), 0, height, width, cx, cy, radius);
  }

  /**
   * Merges {@code k * kernel} centered on the integer cell {@code (cx, cy)} into the plane by element-wise maximum,
   * cut at the plane's borders ({@code draw_umich_gaussian}). A center outside the plane draws nothing.
   *
   * @param kernel a kernel from {@link #umichKernel} for the same {@code radius}
   */
  public static void drawUmich(
      FloatBuffer heat,
      int offset,
      int height,
      int width,
      int cx,
      int cy,
      int radius,
      double[] kernel,
      double k) {
    int d = 2 * radius + 1;
    if (kernel.length != d * d) {
      throw new InvalidInputException(
          "kernel has " + kernel.length + " values, radius " + radius + " needs " + d * d);
    }
    if (cx < 0 || cy < 0 || cx >= width || cy >= height) {
      return;
    }
    int left = Math.min(cx, radius);
    int right = Math.min(width - cx, radius + 1);
    int top = Math.min(cy, radius);
    int bottom = Math.min(height - cy, radius + 1);
    for (int dy = -top; dy < bottom; dy++) {
      int row = offset + (cy + dy) * width;
      int krow = (radius + dy) * d + radius;
      for (int dx = -left; dx < right; dx++) {
        double g = kernel[krow + dx] * k;
        int p = row + cx + dx;
        float h = heat.get(p);
        if (g > h) {
          heat.put(p, (float) g);
        }
      }
    }
  }

  /**
   * Merges an un-normalised Gaussian of standard deviation {@code sigma} centered on {@code (int(x + 0.5), int(y +
   * 0.5))} into the plane by maximum ({@code draw_msra_gaussian}): window from {@code int(mu - 3 sigma)} to {@code
   * int(mu + 3 sigma + 1)} (exclusive), cut at the borders; nothing is drawn when the window misses the plane.
   */
  public static void drawMsra(
      FloatBuffer heat, int offset, int height, int width, float x, float y, double sigma) {
    if (!Float.isFinite(x) || !Float.isFinite(y)) {
      throw new InvalidInputException("msra Gaussian center is not finite: (" + x + ", " + y + ")");
    }
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new InvalidConfigException("msra Gaussian sigma must be > 0, got " + sigma);
    }
    double tmp = sigma * 3;
    int muX = (int) (x + 0.5);
    int muY = (int) (y + 0.5);
    int ulX = (int) (muX - tmp);
    int ulY = (int) (muY - tmp);
    int brX = (int) (muX + tmp + 1);
    int brY = (int) (muY + tmp + 1);
    if (ulX >= width || ulY >= height || brX < 0 || brY < 0) {
      return;
    }
    double size = 2 * tmp + 1;
    double c0 = Math.floor(size / 2);
    // numpy computes this kernel in float32 (float32 arange minus python floats)
    float twoSigma2 = (float) (2 * sigma * sigma);
    int x0 = Math.max(0, ulX);
    int x1 = Math.min(brX, width);
    int y0 = Math.max(0, ulY);
    int y1 = Math.min(brY, height);
    for (int iy = y0; iy < y1; iy++) {
      float gy = (float) ((iy - ulY) - c0);
      int row = offset + iy * width;
      for (int ix = x0; ix < x1; ix++) {
        float gx = (float) ((ix - ulX) - c0);
        float g = (float) Math.exp(-(gx * gx + gy * gy) / twoSigma2);
        int p = row + ix;
        if (g > heat.get(p)) {
          heat.put(p, g);
        }
      }
    }
  }

  /** Convenience overload of {@link #drawMsra(FloatBuffer, int, int, int, float, float, double)} on a float[]. */
  public static void drawMsra(float[] heat, int height, int width, float x, float y, double sigma) {
    drawMsra(FloatBuffer.wrap(heat), 0, height, width, x, y, sigma);
  }

  /**
   * Dense regression drawing ({@code draw_dense_reg}): inside the umich window of {@code radius} around the integer
   * center, every cell where the Gaussian is {@code >=} the given heatmap plane takes {@code value}; with {@code
   * isOffset} and two channels, the value becomes an offset field {@code (v0 - dx, v1 - dy)}. Other cells keep their
   * regression values.
   *
   * @param reg the {@code [D, H, W]} regression map, D = {@code value.length}, starting at {@code regOffset}
   * @param heat the {@code [H, W]} heatmap plane compared against, starting at {@code heatOffset}
   */
  public static void drawDenseReg(
      FloatBuffer reg,
      int regOffset,
      FloatBuffer heat,
      int heatOffset,
      int height,
      int width,
      int cx,
      int cy,
      float[] value,
      int radius,
      boolean isOffset) {
    if (cx < 0 || cy < 0 || cx >= width || cy >= height) {
      return;
    }
    double[] kernel = umichKernel(radius, DEFAULT_SIGMA_DIVISOR);
    int d = 2 * radius + 1;
    int dim = value.length;
    int plane = height * width;
    boolean offsetField = isOffset && dim == 2;
    int left = Math.min(cx, radius);
    int right = Math.min(width - cx, radius + 1);
    int top = Math.min(cy, radius);
    int bottom = Math.min(height - cy, radius + 1);
    for (int dy = -top; dy < bottom; dy++) {
      for (int dx = -left; dx < right; dx++) {
        int cell = (cy + dy) * width + cx + dx;
        double g = kernel[(radius + dy) * d + radius + dx];
        if (g >= heat.get(heatOffset + cell)) {
          for (int c = 0; c < dim; c++) {
            float v = value[c];
            if (offsetField) {
              v = c == 0 ? v - dx : v - dy;
            }
            reg.put(regOffset + c * plane + cell, v);
          }
        }
      }
    }
  }
}
