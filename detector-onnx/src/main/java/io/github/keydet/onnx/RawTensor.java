package io.github.keydet.onnx;

/**
 * A copy of one model output.
 *
 * @param data values, row-major
 * @param shape dimensions
 */
public record RawTensor(float[] data, long[] shape) {}
