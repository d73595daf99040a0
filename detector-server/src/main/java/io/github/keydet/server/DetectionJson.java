package io.github.keydet.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.keydet.api.Box3D;
import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.InstanceMask;
import io.github.keydet.api.Keypoint;
import io.github.keydet.api.StageTimings;
import io.github.keydet.core.coco.Rle;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON the service answers with, as records Jackson writes. Coordinates are float pixels of the uploaded
 * image (origin top-left), boxes (x1, y1, x2, y2); times in milliseconds.
 */
public final class DetectionJson {
  private DetectionJson() {}

  /**
   * One image's answer.
   *
   * @param model the served model's name
   * @param imageWidth width of the decoded image in pixels
   * @param imageHeight height of the decoded image in pixels
   * @param detections best first
   * @param timings where the time went
   */
  public record Result(String model, int imageWidth, int imageHeight, List<Item> detections, Timings timings) {}

  /**
   * One detection. {@code keypoints}, {@code polygon}, {@code box3d} and {@code mask} appear when the model gives
   * them (pose and ExtremeNet models: joints / extreme points; ExtremeNet's octagon; "ddd" models; a segmenter's
   * instance mask), and are left out otherwise.
   *
   * @param box the box in image pixels
   * @param label the class label
   * @param score confidence in [0, 1]
   * @param classId the 0-based class channel of the model
   * @param keypoints joints (COCO order) or extreme points (top, left, bottom, right), in image pixels
   * @param polygon an outline in image pixels
   * @param box3d the 3D box in camera coordinates
   * @param mask the instance mask as COCO RLE
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Item(Box box, String label, float score, int classId, List<Point> keypoints, List<Point> polygon,
      Box3d box3d, Mask mask) {}

  /**
   * A 3D box in camera coordinates (KITTI: x right, y down, z forward; metres; angles in radians), as {@link
   * Box3D}; without a camera calibration {@code rotationY} is {@code null} and {@code location} and {@code
   * projectedCorners} are empty (left out).
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Box3d(float depth, float height, float width, float length, float alpha, Float rotationY,
      List<Float> location, List<Point> projectedCorners) {
    static Box3d of(Box3D b) {
      return b == null ? null : new Box3d(b.depth(), b.height(), b.width(), b.length(), b.alpha(),
          Float.isNaN(b.rotationY()) ? null : b.rotationY(), b.location(), points(b.projectedCorners()));
    }
  }

  /**
   * An instance mask over the whole image as COCO's compressed RLE ({@code pycocotools.mask.decode} reads {@code
   * {"size", "counts"}} as it is).
   *
   * @param size {@code [height, width]} of the image
   * @param counts the compressed RLE string (column-major runs, the first one of zeros)
   * @param area set pixels
   * @param bbox the tight box of the set pixels, (x, y, w, h) in image pixels
   */
  public record Mask(int[] size, String counts, long area, int[] bbox) {
    static Mask of(InstanceMask m) {
      return m == null ? null : new Mask(new int[] {m.height(), m.width()},
          Rle.of(m.height(), m.width(), m.rleCounts()).toCompressedString(), m.area(), m.bounds());
    }
  }

  /** A box (x1, y1, x2, y2) in image pixels. */
  public record Box(float x1, float y1, float x2, float y2) {}

  /** A point in image pixels with its confidence. */
  public record Point(float x, float y, float score) {}

  /**
   * Milliseconds per stage: {@code queue} (waiting for a detection slot), {@code imageDecode} (bytes to pixels), then
   * the detector's own {@code preprocess}, {@code inference}, {@code decode}, {@code postprocess}, and {@code
   * total} (the request from admission to its answer, without writing the response).
   */
  public record Timings(double queue, double imageDecode, double preprocess, double inference, double decode,
      double postprocess, double total) {
    static Timings of(long queueNanos, long imageDecodeNanos, StageTimings t, long totalNanos) {
      return new Timings(ms(queueNanos), ms(imageDecodeNanos), ms(t.preprocessNanos()), ms(t.inferenceNanos()),
          ms(t.decodeNanos()), ms(t.postprocessNanos()), ms(totalNanos));
    }
  }

  /**
   * One image of a batch: its index and part file name, and its result or its error.
   *
   * @param index the image's position in the request (0-based)
   * @param fileName the part's file name, or {@code null}
   * @param result the result, or {@code null} when the image failed
   * @param error the error, or {@code null} when it succeeded
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BatchItem(int index, String fileName, Result result, Error error) {}

  /** A batch's answer, in request order. */
  public record Batch(String model, List<BatchItem> results) {}

  /**
   * An error body's content.
   *
   * @param status the HTTP status
   * @param code a stable machine-readable code
   * @param message what was wrong
   */
  public record Error(int status, String code, String message) {}

  /** The body of every error response. */
  public record ErrorBody(Error error) {}

  /**
   * The detections a detector built with this threshold and cap would return, from a result computed with
   * threshold 0 and a cap at least as large (see {@link ModelVariants}).
   */
  public static List<Detection> select(List<Detection> detections, float threshold, int maxDetections) {
    List<Detection> out = new ArrayList<>();
    for (Detection d : detections) {
      if (out.size() == maxDetections) {
        break;
      }
      if (d.score() >= threshold) {
        out.add(d);
      }
    }
    return out;
  }

  /** The JSON record of a result (its detections already selected). */
  public static Result result(String model, DetectionResult r, List<Detection> selected, Timings timings) {
    List<Item> items = new ArrayList<>(selected.size());
    for (Detection d : selected) {
      items.add(new Item(new Box(d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2()), d.label(), d.score(),
          d.classId(), points(d.keypoints()), points(d.polygon()), Box3d.of(d.box3d()), Mask.of(d.mask())));
    }
    return new Result(model, r.imageWidth(), r.imageHeight(), items, timings);
  }

  private static List<Point> points(List<Keypoint> keypoints) {
    return keypoints.stream().map(k -> new Point(k.x(), k.y(), k.score())).toList();
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }
}
