package io.github.keydet.core.post;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.Keypoint;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.image.ImageTransform;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Candidates of one image (output-map cells) to detections in image pixels. A point (x, y) of the output map
 * is the input point (stride·x, stride·y), mapped to the image by the inverse of the preprocessing transform;
 * box corners are mapped independently (all transforms are axis-aligned). Then: clip (optional), drop scores
 * below the threshold, sort by score (stable), greedy IoU NMS, cap. Stateless and thread-safe.
 */
public final class Postprocessor {
  private final PostprocessConfig config;

  /** A postprocessor with the given settings. */
  public Postprocessor(PostprocessConfig config) {
    this.config = config;
  }

  public PostprocessConfig config() {
    return config;
  }

  /**
   * Processes one image's candidates.
   *
   * @param candidates decoder output for the image, output-map cells
   * @param stride output stride of the heads
   * @param transform the preprocessing transform of the image
   * @param labels class id to label
   */
  public List<Detection> process(
      List<Candidate> candidates, int stride, ImageTransform transform, IntFunction<String> labels) {
    float w = transform.imageWidth();
    float h = transform.imageHeight();
    List<Detection> kept = new ArrayList<>();
    for (Candidate c : candidates) {
      if (!(c.score() >= config.scoreThreshold())) {
        continue;
      }
      float x1 = (float) transform.toImageX((double) c.x1() * stride);
      float y1 = (float) transform.toImageY((double) c.y1() * stride);
      float x2 = (float) transform.toImageX((double) c.x2() * stride);
      float y2 = (float) transform.toImageY((double) c.y2() * stride);
      if (!(Float.isFinite(x1) && Float.isFinite(y1) && Float.isFinite(x2) && Float.isFinite(y2))) {
        continue;
      }
      if (config.clipToImage()) {
        x1 = clamp(x1, w);
        x2 = clamp(x2, w);
        y1 = clamp(y1, h);
        y2 = clamp(y2, h);
      }
      // a degenerate regression (negative size) on an axis: that axis collapses to its center, not an
      // inverted box; the other axis is left alone
      if (x2 < x1) {
        float cx = (x1 + x2) / 2;
        x1 = cx;
        x2 = cx;
      }
      if (y2 < y1) {
        float cy = (y1 + y2) / 2;
        y1 = cy;
        y2 = cy;
      }
      List<Keypoint> points = new ArrayList<>(c.pointCount());
      for (int i = 0; i < c.pointCount(); i++) {
        float px = (float) transform.toImageX((double) c.points()[2 * i] * stride);
        float py = (float) transform.toImageY((double) c.points()[2 * i + 1] * stride);
        if (config.clipToImage()) {
          px = clamp(px, w);
          py = clamp(py, h);
        }
        float ps = i < c.pointScores().length ? c.pointScores()[i] : c.score();
        points.add(new Keypoint(px, py, ps));
      }
      kept.add(new Detection(
          new BoundingBox(x1, y1, x2, y2), c.score(), c.classId(), labels.apply(c.classId()), points, List.of(), null));
    }
    kept.sort(Comparator.comparingDouble((Detection d) -> d.score()).reversed());
    return suppress(kept);
  }

  private List<Detection> suppress(List<Detection> sorted) {
    List<Detection> out = new ArrayList<>(Math.min(sorted.size(), config.maxDetections()));
    boolean nms = config.nmsIouThreshold() < 1f;
    for (Detection d : sorted) {
      if (out.size() == config.maxDetections()) {
        break;
      }
      boolean suppressed = false;
      if (nms) {
        for (Detection k : out) {
          if ((config.classAgnosticNms() || k.classId() == d.classId())
              && k.box().iou(d.box()) > config.nmsIouThreshold()) {
            suppressed = true;
            break;
          }
        }
      }
      if (!suppressed) {
        out.add(d);
      }
    }
    return out;
  }

  private static float clamp(float v, float max) {
    return Math.max(0f, Math.min(max, v));
  }
}
