package io.github.keydet.core.post;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Box3D;
import io.github.keydet.core.geometry3d.Box3dGeometry;
import io.github.keydet.core.geometry3d.CameraCalibration;
import io.github.keydet.api.Detection;
import io.github.keydet.api.Keypoint;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.image.ImageTransform;
import io.github.keydet.core.nms.Nms;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Candidates of one image (output-map cells) to detections in image pixels. A point (x, y) of the output map
 * is the input point (stride·x, stride·y), mapped to the image by the inverse of the preprocessing transform;
 * box corners are mapped independently (all transforms are axis-aligned). Then: clip (optional), drop scores
 * below the threshold, sort by score (stable), greedy IoU NMS, cap. Candidates scoring 0 or less are never
 * detections, whatever the threshold: decoders return K candidates per image and fill K with peak-suppressed
 * cells (score exactly 0) on small maps, and mark rejected groups with negative scores. A family's {@link
 * PointSubset} decides which of a candidate's points its detection keeps (DeepFashion2: the category's own
 * landmarks). Stateless and thread-safe.
 */
public final class Postprocessor {
  private final PostprocessConfig config;
  private final Outline outline;
  private final CameraCalibration calibration;
  private final PointSubset subset;

  /** A postprocessor with the given settings for box-only (and point) detections. */
  public Postprocessor(PostprocessConfig config) {
    this(config, Outline.NONE, null, PointSubset.ALL);
  }

  /** A postprocessor with a polygon rule and a camera, keeping every point (see the four-argument constructor). */
  public Postprocessor(PostprocessConfig config, Outline outline, CameraCalibration calibration) {
    this(config, outline, calibration, PointSubset.ALL);
  }

  /**
   * A postprocessor that also builds a family's extra outputs (each family's {@code DetectorFamily.postprocessor}
   * builds its own): a polygon from the detection's points in image pixels (ExtremeNet's octagon) and, for
   * candidates that carry 3D values, the 3D box lifted with the camera calibration (none: no 3D box).
   *
   * @param config selection settings
   * @param outline the polygon rule ({@link Outline#NONE} or {@code null} for none)
   * @param calibration camera of the images (3D families), or {@code null}
   * @param subset the points each detection keeps ({@link PointSubset#ALL} or {@code null} for all); the polygon
   *     sees the kept points only
   */
  public Postprocessor(PostprocessConfig config, Outline outline, CameraCalibration calibration, PointSubset subset) {
    this.config = config;
    this.outline = outline == null ? Outline.NONE : outline;
    this.calibration = calibration;
    this.subset = subset == null ? PointSubset.ALL : subset;
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
    return select(toDetections(candidates, stride, transform, labels, config.scoreThreshold()));
  }

  /**
   * Maps candidates to image pixels (and clips them when configured) without any selection but a score floor:
   * the first half of {@link #process}, for merging several runs (test scales) before {@link #select}.
   *
   * @param minScore candidates scoring below this are skipped
   */
  public List<Detection> toDetections(
      List<Candidate> candidates, int stride, ImageTransform transform, IntFunction<String> labels, float minScore) {
    float w = transform.imageWidth();
    float h = transform.imageHeight();
    List<Detection> kept = new ArrayList<>();
    for (Candidate c : candidates) {
      if (!(c.score() > 0) || !(c.score() >= minScore)) {
        continue; // score 0: a peak-suppressed cell that only fills K; below 0: rejected by the decoder
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
      if (x2 < x1) {
        // a degenerate regression (negative size): keep the point, not an inverted box
        x1 = (x1 + x2) / 2;
        x2 = x1;
      }
      if (y2 < y1) {
        y1 = (y1 + y2) / 2;
        y2 = y1;
      }
      int[] range = subset.range(c.classId(), c.pointCount());
      List<Keypoint> points = new ArrayList<>(range[1] - range[0]);
      for (int i = range[0]; i < range[1]; i++) {
        float px = (float) transform.toImageX((double) c.points()[2 * i] * stride);
        float py = (float) transform.toImageY((double) c.points()[2 * i + 1] * stride);
        if (config.clipToImage()) {
          px = clamp(px, w);
          py = clamp(py, h);
        }
        float ps = i < c.pointScores().length ? c.pointScores()[i] : c.score();
        points.add(new Keypoint(px, py, ps));
      }
      List<Keypoint> polygon = points.isEmpty() ? List.of() : outline.polygon(points, c.score());
      Box3D box3d = null;
      if (c.object3d() != null && calibration != null && c.pointCount() >= 1) {
        // the decoder's first point is the exact 2D center; lift it from image pixels (unclipped)
        double cx = transform.toImageX((double) c.points()[0] * stride);
        double cy = transform.toImageY((double) c.points()[1] * stride);
        box3d = Box3dGeometry.lift(c.object3d(), cx, cy, calibration);
      }
      kept.add(new Detection(new BoundingBox(x1, y1, x2, y2), c.score(), c.classId(), labels.apply(c.classId()),
          points, polygon, box3d));
    }
    return kept;
  }

  /**
   * The selection half of {@link #process}: drops scores below the threshold, sorts by score (stable), applies
   * IoU NMS (unless the threshold is 1) and keeps the best {@code maxDetections}.
   */
  public List<Detection> select(List<Detection> detections) {
    List<Detection> sorted = new ArrayList<>(detections.size());
    for (Detection d : detections) {
      if (d.score() >= config.scoreThreshold()) {
        sorted.add(d);
      }
    }
    sorted.sort(Comparator.comparingDouble((Detection d) -> d.score()).reversed());
    List<Detection> kept = config.nmsIouThreshold() < 1f
        ? Nms.nms(sorted, config.nmsIouThreshold(), !config.classAgnosticNms())
        : sorted;
    return kept.size() > config.maxDetections() ? List.copyOf(kept.subList(0, config.maxDetections())) : kept;
  }

  private static float clamp(float v, float max) {
    return Math.max(0f, Math.min(max, v));
  }
}
