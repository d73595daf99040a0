package io.github.keydet.core.segment;

import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.ExtremePointSegmenter;
import io.github.keydet.api.InstanceMask;
import io.github.keydet.api.Keypoint;
import io.github.keydet.api.StageTimings;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives detections with four extreme points (ExtremeNet's top, left, bottom, right) an instance mask from a
 * segmenter, e.g. DEXTR, as ExtremeNet's {@code eval_dextr_mask.py} does: all of one image's objects in one
 * {@link ExtremePointSegmenter#segmentAll} call. Points are in image pixels; points a little outside the image
 * (a decoder's sub-pixel offsets) are moved onto its border first. Detections without exactly 4 finite points
 * keep no mask. The time taken is added to the result's postprocess time. Stateless.
 */
public final class DetectionMasks {
  private DetectionMasks() {}

  /** {@link #attach} on each result and its image; the same list when the segmenter is null. */
  public static List<DetectionResult> attachAll(List<DetectionResult> results, List<BufferedImage> images,
      ExtremePointSegmenter segmenter) {
    if (segmenter == null) {
      return results;
    }
    List<DetectionResult> out = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      out.add(attach(results.get(i), images.get(i), segmenter));
    }
    return out;
  }

  /** The result with masks on its extreme-point detections; the same result when it has none. */
  public static DetectionResult attach(DetectionResult result, BufferedImage image, ExtremePointSegmenter segmenter) {
    long t0 = System.nanoTime();
    int w = image.getWidth();
    int h = image.getHeight();
    List<Integer> which = new ArrayList<>();
    List<List<Keypoint>> points = new ArrayList<>();
    List<Detection> dets = result.detections();
    for (int i = 0; i < dets.size(); i++) {
      List<Keypoint> p = clamped(dets.get(i).keypoints(), w, h);
      if (p != null) {
        which.add(i);
        points.add(p);
      }
    }
    if (which.isEmpty()) {
      return result;
    }
    List<InstanceMask> masks = segmenter.segmentAll(image, points);
    List<Detection> out = new ArrayList<>(dets);
    for (int k = 0; k < which.size(); k++) {
      out.set(which.get(k), dets.get(which.get(k)).withMask(masks.get(k)));
    }
    StageTimings t = result.timings();
    return new DetectionResult(out, result.imageWidth(), result.imageHeight(), new StageTimings(
        t.preprocessNanos(), t.inferenceNanos(), t.decodeNanos(), t.postprocessNanos() + System.nanoTime() - t0));
  }

  /** The 4 points moved into {@code [0, w - 1] x [0, h - 1]}, or null when there are not 4 finite points. */
  static List<Keypoint> clamped(List<Keypoint> points, int w, int h) {
    if (points.size() != 4) {
      return null;
    }
    List<Keypoint> out = new ArrayList<>(4);
    for (Keypoint k : points) {
      if (!Float.isFinite(k.x()) || !Float.isFinite(k.y())) {
        return null;
      }
      out.add(new Keypoint(Math.max(0f, Math.min(w - 1f, k.x())), Math.max(0f, Math.min(h - 1f, k.y())), k.score()));
    }
    return out;
  }
}
