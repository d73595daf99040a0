package io.github.keydet.core.image;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * A network input batch built from images: the float values in the model's layout and the transform of each
 * image back from input pixels.
 *
 * <p>The values live in a {@link FloatBuffer} that the caller of {@link Preprocessor} supplied (in the detection
 * pipeline: a pooled direct buffer of the runtime, handed to ONNX Runtime without a copy) or a heap buffer the
 * preprocessor allocated. Whoever supplied the buffer owns it; this record does not copy it.
 *
 * @param values input values, {@code [N, 3, H, W]} or {@code [N, H, W, 3]} flattened row-major, from index 0
 *     (position 0, limit = the element count)
 * @param shape the 4 dimensions of the values
 * @param transforms one per image, in batch order
 */
public record PreparedInput(FloatBuffer values, long[] shape, List<ImageTransform> transforms) {
  /** Defensive copy of the list. */
  public PreparedInput {
    transforms = List.copyOf(transforms);
  }

  /** An input over a heap array (no copy), e.g. a reference tensor read from a file. */
  public PreparedInput(float[] data, long[] shape, List<ImageTransform> transforms) {
    this(FloatBuffer.wrap(data), shape, transforms);
  }

  /** A copy of the values as one array (for tests and tools; the pipeline never copies). */
  public float[] data() {
    float[] out = new float[values.limit()];
    values.get(0, out);
    return out;
  }
}
