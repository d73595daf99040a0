package io.github.keydet.core.post;

/**
 * Which of a candidate's points its detection keeps, by class: DeepFashion2's models regress all 294 landmarks of
 * the 13 clothing categories for every garment, and each category owns one contiguous range of them. Most families
 * keep every point ({@link #ALL}). Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface PointSubset {
  /** Every point. */
  PointSubset ALL = (classId, pointCount) -> new int[] {0, pointCount};

  /**
   * The [first, end) range of point indices the detection keeps, {@code 0 <= first <= end <= pointCount}.
   *
   * @param classId the candidate's class channel
   * @param pointCount the candidate's number of (x, y) points
   */
  int[] range(int classId, int pointCount);
}
