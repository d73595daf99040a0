package io.github.keydet.core.nms;

/** How soft-NMS decays the score of a box overlapping a kept one (the original's {@code method} 0, 1, 2). */
public enum SoftNmsMethod {
  /** Weight 0 when IoU &gt; Nt, else 1 (plain NMS in soft-NMS's loop; method 0). */
  HARD,
  /** Weight {@code 1 - IoU} when IoU &gt; Nt, else 1 (method 1). */
  LINEAR,
  /** Weight {@code exp(-IoU² / sigma)} for every overlapping box (method 2). */
  GAUSSIAN
}
