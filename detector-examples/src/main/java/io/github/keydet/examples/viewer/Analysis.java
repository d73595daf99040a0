package io.github.keydet.examples.viewer;

import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.StageTimings;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.family.Families;
import io.github.keydet.core.family.HeadSpec;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.onnx.OnnxDetector;
import io.github.keydet.onnx.RawTensor;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the viewer shows for one image: its detections down to the detector's score floor, the stage timings of
 * the {@code detect} call, and (when a heat-map head was asked for) that head blended over the image.
 *
 * @param image the image, image pixels
 * @param detections the detections at the detector's threshold (the viewer's floor), image pixels
 * @param timings the stage timings of the detection
 * @param heatHead the heat-map head shown, or {@code null}
 * @param heatOverlay {@code heatHead} blended over {@code image} ({@link HeatmapOverlay}), or {@code null}
 * @param family the detector's family (how its keypoints are drawn: skeletons, face or clothing landmarks), or
 *     {@code null} for the generic drawing
 */
public record Analysis(BufferedImage image, ScoredDetections detections, StageTimings timings, String heatHead,
    BufferedImage heatOverlay, ModelFamily family) {

  /**
   * Detects objects in {@code image} and, when {@code heatHead} is not null, runs the network once more through
   * {@link OnnxDetector#runRaw} for that head's raw values. Runs on the caller's thread (the viewer's worker).
   *
   * @param floor the score threshold the detector was built with
   */
  public static Analysis of(OnnxDetector detector, BufferedImage image, float floor, String heatHead) {
    DetectionResult result = detector.detect(image);
    ScoredDetections scored = new ScoredDetections(result.detections(), floor);
    BufferedImage overlay = heatHead == null ? null : heatOverlay(detector, image, heatHead);
    return new Analysis(image, scored, result.timings(), heatHead, overlay, detector.modelInfo().family());
  }

  /** The same image and detections with another heat-map head (or none). */
  public Analysis withHeat(OnnxDetector detector, String head) {
    return new Analysis(image, detections, timings, head, head == null ? null : heatOverlay(detector, image, head),
        family);
  }

  /** The heat-map heads of a detector's family, canonical names in the family's order (e.g. {@code hm}). */
  public static List<String> heatmapHeads(OnnxDetector detector) {
    ModelSpec spec = detector.spec();
    return Families.of(spec.family()).heads(spec).stream().filter(HeadSpec::heatmap)
        .filter(h -> detector.outputNames().contains(spec.outputName(h.name()))).map(HeadSpec::name).toList();
  }

  /** One heat-map head over the image, in image pixels. */
  static BufferedImage heatOverlay(OnnxDetector detector, BufferedImage image, String head) {
    ModelSpec spec = detector.spec();
    PreparedInput input = detector.preprocessor().prepare(image);
    String output = spec.outputName(head);
    Map<String, RawTensor> raw = detector.runRaw(input, Set.of(output));
    return HeatmapOverlay.blend(image, raw.get(output), spec.layout(), spec.heatmaps(), input.transforms().get(0),
        spec.stride(), HeatmapOverlay.DEFAULT_ALPHA);
  }
}
