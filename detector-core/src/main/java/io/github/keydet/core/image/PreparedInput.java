package io.github.keydet.core.image;

import java.util.List;

/**
 * A network input batch built from images: the float values in the model's layout and the transform of each
 * image back from input pixels.
 *
 * <p>The array is owned by this record; callers hand it to the runtime and do not modify it.
 *
 * @param data input values, {@code [N, 3, H, W]} or {@code [N, H, W, 3]} flattened row-major
 * @param shape the 4 dimensions of {@code data}
 * @param transforms one per image, in batch order
 */
public record PreparedInput(float[] data, long[] shape, List<ImageTransform> transforms) {
  /** Defensive copy of the list. */
  public PreparedInput {
    transforms = List.copyOf(transforms);
  }
}
