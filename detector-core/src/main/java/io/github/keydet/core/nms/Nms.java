package io.github.keydet.core.nms;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Suppression of overlapping boxes. Boxes are {@code [n * 4]} (x1, y1, x2, y2), scores {@code [n]}; inputs are
 * not modified; NaN scores and non-finite coordinates are rejected. Overlap is always {@link
 * BoundingBox#iou(double, double, double, double, double, double, double, double)} (no +1 pixel; the Cython
 * originals add 1 to widths, so their IoUs differ slightly on the same boxes).
 */
public final class Nms {
  private Nms() {}

  /**
   * Greedy hard NMS, class-agnostic: boxes in stable descending score order; a box is dropped when its IoU with
   * an already kept box is strictly greater than {@code iouThreshold} (as the COCO API's {@code bbNms} and
   * torchvision). Result in descending score order.
   */
  public static NmsResult hard(float[] boxes, float[] scores, float iouThreshold) {
    return hardPerClass(boxes, scores, null, iouThreshold);
  }

  /**
   * Greedy hard NMS within each class ({@code classes[i]}); boxes of different classes never suppress each other.
   * {@code classes == null} means class-agnostic. Result in descending score order over all classes.
   */
  public static NmsResult hardPerClass(float[] boxes, float[] scores, int[] classes, float iouThreshold) {
    int n = check(boxes, scores);
    if (classes != null && classes.length != n) {
      throw new InvalidInputException("classes has " + classes.length + " entries for " + n + " boxes");
    }
    int[] order = ScoreOrder.descending(scores);
    boolean[] removed = new boolean[n];
    int[] keep = new int[n];
    int kept = 0;
    for (int a = 0; a < n; a++) {
      int i = order[a];
      if (removed[i]) {
        continue;
      }
      keep[kept++] = i;
      double x1 = boxes[4 * i];
      double y1 = boxes[4 * i + 1];
      double x2 = boxes[4 * i + 2];
      double y2 = boxes[4 * i + 3];
      for (int b = a + 1; b < n; b++) {
        int j = order[b];
        if (removed[j] || (classes != null && classes[j] != classes[i])) {
          continue;
        }
        double ov =
            BoundingBox.iou(x1, y1, x2, y2, boxes[4 * j], boxes[4 * j + 1], boxes[4 * j + 2], boxes[4 * j + 3]);
        if (ov > iouThreshold) {
          removed[j] = true;
        }
      }
    }
    int[] idx = Arrays.copyOf(keep, kept);
    float[] s = new float[kept];
    float[] bx = new float[4 * kept];
    for (int k = 0; k < kept; k++) {
      s[k] = scores[idx[k]];
      System.arraycopy(boxes, 4 * idx[k], bx, 4 * k, 4);
    }
    return new NmsResult(idx, s, bx);
  }

  /**
   * Soft-NMS (Bodla et al. 2017) with the exact loop of the CornerNet/CenterNet Cython {@code soft_nms}: at step
   * i the highest remaining score (first one on ties) is swapped into row i, every later row that overlaps it
   * has its score multiplied by the decay weight, and a row whose score falls strictly below the threshold is
   * replaced by the last live row (which is then examined). Arithmetic is float32 like the original. The results
   * are the original's bit for bit, but a step only examines boxes whose x-range can meet the selected box, so
   * sparse scenes cost far less than the original's n&sup2;/2 overlap tests.
   *
   * @return survivors in the original's row order (the order they were selected, i.e. by decayed score at
   *     selection time), with their decayed scores and unchanged boxes
   */
  public static NmsResult softNms(float[] boxes, float[] scores, SoftNmsOptions options) {
    check(boxes, scores);
    return run(boxes, scores, null, null, options);
  }

  /**
   * CornerNet's {@code soft_nms_merge}: soft-NMS as {@link #softNms} that also replaces each kept box by a
   * weighted vote of itself and every box overlapping it at its step (kept or dropped): x1, y1 weighted by
   * {@code tlWeights} (CornerNet: top-left corner score), x2, y2 by {@code brWeights} (bottom-right corner score),
   * each neighbour's weight further multiplied by {@code (1 - decay)^weightExp}.
   *
   * <p>Exactly as the original, the two weight arrays are <em>positional</em>: the row swaps move boxes and
   * scores but not the weight columns, so row r always uses {@code tlWeights[r]} and {@code brWeights[r]}. Pass
   * weights already in descending score order (as CornerNet's detections are) to get the intended pairing.
   */
  public static NmsResult softNmsMerge(
      float[] boxes, float[] scores, float[] tlWeights, float[] brWeights, SoftNmsOptions options) {
    int n = check(boxes, scores);
    if (tlWeights == null || brWeights == null || tlWeights.length != n || brWeights.length != n) {
      throw new InvalidInputException(
          "merge weights must have " + n + " entries, got "
              + (tlWeights == null ? "null" : tlWeights.length) + " and "
              + (brWeights == null ? "null" : brWeights.length));
    }
    return run(boxes, scores, tlWeights, brWeights, options);
  }

  /** Both soft-NMS entry points, after they have checked boxes and scores. */
  private static NmsResult run(float[] boxes, float[] scores, float[] tw, float[] bw, SoftNmsOptions o) {
    if (o == null) {
      throw new io.github.keydet.api.InvalidConfigException("soft-NMS options must not be null");
    }
    return new SoftNmsLoop(boxes, scores, tw, bw, o).run();
  }

  /**
   * CenterNet's cap on detections per image ({@code merge_outputs}): when there are more than {@code maxPerImage}
   * scores, the threshold is the {@code maxPerImage}-th largest score and every score {@code >=} it is kept, so
   * ties at the threshold are all kept and more than {@code maxPerImage} may survive.
   *
   * @return kept indices in increasing (input) order; all indices when {@code scores.length <= maxPerImage}
   */
  public static int[] maxPerImage(float[] scores, int maxPerImage) {
    if (maxPerImage <= 0) {
      throw new io.github.keydet.api.InvalidConfigException("max per image must be > 0, got " + maxPerImage);
    }
    int n = scores.length;
    if (n <= maxPerImage) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    float[] sorted = scores.clone();
    Arrays.sort(sorted);
    float thresh = sorted[n - maxPerImage];
    int[] keep = new int[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (scores[i] >= thresh) {
        keep[k++] = i;
      }
    }
    return Arrays.copyOf(keep, k);
  }

  /**
   * Hard NMS on detections, per class or class-agnostic; result in descending score order.
   *
   * @param iouThreshold a box is dropped when its IoU with a kept box is strictly greater
   */
  public static List<Detection> nms(List<Detection> detections, float iouThreshold, boolean perClass) {
    float[] boxes = boxesOf(detections);
    float[] scores = scoresOf(detections);
    int[] classes = null;
    if (perClass) {
      classes = new int[detections.size()];
      for (int i = 0; i < classes.length; i++) {
        classes[i] = detections.get(i).classId();
      }
    }
    NmsResult r = hardPerClass(boxes, scores, classes, iouThreshold);
    List<Detection> out = new ArrayList<>(r.size());
    for (int i : r.indices()) {
      out.add(detections.get(i));
    }
    return out;
  }

  /**
   * Soft-NMS on detections with decayed scores. Per class (as CenterNet and CornerNet run it): classes in
   * increasing id order, each in soft-NMS output order; otherwise all detections together.
   */
  public static List<Detection> softNms(List<Detection> detections, SoftNmsOptions options, boolean perClass) {
    List<Detection> out = new ArrayList<>(detections.size());
    for (List<Detection> group : groups(detections, perClass)) {
      NmsResult r = softNms(boxesOf(group), scoresOf(group), options);
      for (int k = 0; k < r.size(); k++) {
        Detection d = group.get(r.indices()[k]);
        out.add(new Detection(
            d.box(), r.scores()[k], d.classId(), d.label(), d.keypoints(), d.polygon(), d.box3d()));
      }
    }
    return out;
  }

  /** CenterNet's cap on detections per image (see {@link #maxPerImage(float[], int)}); input order kept. */
  public static List<Detection> maxPerImage(List<Detection> detections, int maxPerImage) {
    int[] keep = maxPerImage(scoresOf(detections), maxPerImage);
    List<Detection> out = new ArrayList<>(keep.length);
    for (int i : keep) {
      out.add(detections.get(i));
    }
    return out;
  }

  private static List<List<Detection>> groups(List<Detection> detections, boolean perClass) {
    if (!perClass) {
      return List.of(detections);
    }
    Map<Integer, List<Detection>> byClass = new TreeMap<>();
    for (Detection d : detections) {
      byClass.computeIfAbsent(d.classId(), c -> new ArrayList<>()).add(d);
    }
    return new ArrayList<>(byClass.values());
  }

  private static float[] boxesOf(List<Detection> detections) {
    float[] boxes = new float[4 * detections.size()];
    for (int i = 0; i < detections.size(); i++) {
      BoundingBox b = detections.get(i).box();
      boxes[4 * i] = b.x1();
      boxes[4 * i + 1] = b.y1();
      boxes[4 * i + 2] = b.x2();
      boxes[4 * i + 3] = b.y2();
    }
    return boxes;
  }

  private static float[] scoresOf(List<Detection> detections) {
    float[] scores = new float[detections.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = detections.get(i).score();
    }
    return scores;
  }

  private static int check(float[] boxes, float[] scores) {
    if (boxes == null || scores == null) {
      throw new InvalidInputException("boxes and scores must not be null");
    }
    if (boxes.length != 4 * scores.length) {
      throw new InvalidInputException(
          "boxes must have 4 values per score: " + boxes.length + " values for " + scores.length + " scores");
    }
    for (int i = 0; i < scores.length; i++) {
      if (Float.isNaN(scores[i])) {
        throw new InvalidInputException("score " + i + " is NaN");
      }
    }
    for (int i = 0; i < boxes.length; i++) {
      if (!Float.isFinite(boxes[i])) {
        throw new InvalidInputException("box " + i / 4 + " has a non-finite coordinate: " + boxes[i]);
      }
    }
    return scores.length;
  }
}
