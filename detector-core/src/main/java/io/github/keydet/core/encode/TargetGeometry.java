package io.github.keydet.core.encode;

import io.github.keydet.core.image.AffineTransform;
import io.github.keydet.api.InvalidConfigException;
import java.util.Objects;

/**
 * Where annotations land: the network input size, the output-map size, and the transforms from image pixels to
 * input pixels and to output cells.
 *
 * <p>CenterNet's code ({@code ctdet}, {@code multi_pose}, {@code ddd}, grid points) maps image boxes straight to
 * the output map with {@link #imageToOutput} and clips there. CornerNet's code (CornerNet, Triplets, ExtremeNet)
 * maps them to the input with {@link #imageToInput}, clips there, then multiplies by {@code outputWidth /
 * inputWidth} and {@code outputHeight / inputHeight} (e.g. 128 / 511).
 *
 * @param inputWidth network input width in pixels
 * @param inputHeight network input height in pixels
 * @param outputWidth output map width W in cells
 * @param outputHeight output map height H in cells
 * @param imageToInput image pixels to input pixels
 * @param imageToOutput image pixels to output cells
 */
public record TargetGeometry(
    int inputWidth,
    int inputHeight,
    int outputWidth,
    int outputHeight,
    AffineTransform imageToInput,
    AffineTransform imageToOutput) {

  /** Validates sizes. */
  public TargetGeometry {
    if (inputWidth <= 0 || inputHeight <= 0 || outputWidth <= 0 || outputHeight <= 0) {
      throw new InvalidConfigException(
          "input and output sizes must be positive, got input "
              + inputWidth + "x" + inputHeight + ", output " + outputWidth + "x" + outputHeight);
    }
    Objects.requireNonNull(imageToInput, "imageToInput");
    Objects.requireNonNull(imageToOutput, "imageToOutput");
  }

  /** {@code outputWidth / inputWidth} in double, CornerNet's {@code width_ratio}. */
  public double widthRatio() {
    return outputWidth / (double) inputWidth;
  }

  /** {@code outputHeight / inputHeight} in double, CornerNet's {@code height_ratio}. */
  public double heightRatio() {
    return outputHeight / (double) inputHeight;
  }

  /**
   * A builder for an input of {@code inputWidth x inputHeight}. Not thread-safe.
   *
   * @param inputWidth input width in pixels
   * @param inputHeight input height in pixels
   */
  public static Builder builder(int inputWidth, int inputHeight) {
    return new Builder(inputWidth, inputHeight);
  }

  /** Builds a {@link TargetGeometry}; required: input size; optional: stride or output size, transform. */
  public static final class Builder {
    private final int inputWidth;
    private final int inputHeight;
    private int outputWidth = -1;
    private int outputHeight = -1;
    private int stride = 4;
    private double[] centerScale;
    private AffineTransform imageToInput;

    private Builder(int inputWidth, int inputHeight) {
      this.inputWidth = inputWidth;
      this.inputHeight = inputHeight;
    }

    /** Output stride (default 4): output size {@code input / stride} (integer division). */
    public Builder optStride(int stride) {
      if (stride <= 0) {
        throw new InvalidConfigException("stride must be > 0, got " + stride);
      }
      this.stride = stride;
      return this;
    }

    /** An explicit output size (CornerNet/ExtremeNet: 511 input, 128 output). Overrides the stride. */
    public Builder optOutputSize(int width, int height) {
      this.outputWidth = width;
      this.outputHeight = height;
      return this;
    }

    /**
     * CenterNet's affine crop: center {@code (cx, cy)}, scale {@code s} (image pixels), rotation in degrees. Both
     * transforms are built with {@link AffineTransform#centerScale}, for the input and the output size.
     */
    public Builder optCenterScale(double cx, double cy, double s, double rotDegrees) {
      this.centerScale = new double[] {cx, cy, s, rotDegrees};
      return this;
    }

    /**
     * An image-to-input transform (default identity: annotations already in input pixels); the output transform is
     * it followed by the input-to-output ratio.
     */
    public Builder optImageToInput(AffineTransform t) {
      this.imageToInput = InvalidConfigException.requireOption(t, "optImageToInput");
      return this;
    }

    /** Validates and builds. */
    public TargetGeometry build() {
      int ow = outputWidth > 0 ? outputWidth : inputWidth / stride;
      int oh = outputHeight > 0 ? outputHeight : inputHeight / stride;
      if (ow <= 0 || oh <= 0) {
        throw new InvalidConfigException(
            "output size must be positive, got " + ow + "x" + oh + " (input "
                + inputWidth + "x" + inputHeight + ", stride " + stride + ")");
      }
      if (centerScale != null) {
        AffineTransform in =
            AffineTransform.centerScale(
                centerScale[0], centerScale[1], centerScale[2], centerScale[3], inputWidth, inputHeight);
        AffineTransform out =
            AffineTransform.centerScale(
                centerScale[0], centerScale[1], centerScale[2], centerScale[3], ow, oh);
        return new TargetGeometry(inputWidth, inputHeight, ow, oh, in, out);
      }
      AffineTransform in = imageToInput != null ? imageToInput : AffineTransform.identity();
      AffineTransform out = in.thenScale(ow / (double) inputWidth, oh / (double) inputHeight);
      return new TargetGeometry(inputWidth, inputHeight, ow, oh, in, out);
    }
  }
}
