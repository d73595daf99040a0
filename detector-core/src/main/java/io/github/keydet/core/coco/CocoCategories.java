package io.github.keydet.core.coco;

/** COCO's category ids (1..90 with gaps) of the 80 contiguous class channels of COCO-trained models. */
public final class CocoCategories {
  private static final int[] IDS = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 28, 31, 32, 33, 34,
    35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
    64, 65, 67, 70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89, 90
  };

  private CocoCategories() {}

  /** The COCO category id of class channel {@code classId} (0..79). */
  public static int idOf(int classId) {
    if (classId < 0 || classId >= IDS.length) {
      throw new IllegalArgumentException("COCO class channel must be in 0..79, got " + classId);
    }
    return IDS[classId];
  }

  /** The class channel of a COCO category id, or -1. */
  public static int channelOf(int categoryId) {
    for (int i = 0; i < IDS.length; i++) {
      if (IDS[i] == categoryId) {
        return i;
      }
    }
    return -1;
  }
}
