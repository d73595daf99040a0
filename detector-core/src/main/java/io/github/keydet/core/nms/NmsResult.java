package io.github.keydet.core.nms;

/**
 * Survivors of a suppression step. The arrays are the caller's from then on (fresh arrays, not copied again, not
 * kept by the producer).
 *
 * @param indices indices into the input arrays of the kept boxes, in output order (see the producing method)
 * @param scores the kept boxes' scores {@code [indices.length]}, decayed by soft-NMS (unchanged by hard NMS)
 * @param boxes the kept boxes {@code [indices.length * 4]} (x1, y1, x2, y2): the input boxes, or the merged
 *     boxes for {@link Nms#softNmsMerge}
 */
public record NmsResult(int[] indices, float[] scores, float[] boxes) {

  /** Number of kept boxes. */
  public int size() {
    return indices.length;
  }
}
