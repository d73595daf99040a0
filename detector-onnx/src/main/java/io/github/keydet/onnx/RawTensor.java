package io.github.keydet.onnx;

/**
 * A copy of one model output. The arrays belong to the caller (fresh copies out of native memory; not copied
 * again on access).
 *
 * @param data values, row-major
 * @param shape dimensions
 */
public record RawTensor(float[] data, long[] shape) {}
