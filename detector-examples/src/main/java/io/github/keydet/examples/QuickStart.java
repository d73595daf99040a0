package io.github.keydet.examples;

import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.Detector;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import java.nio.file.Path;

/** The smallest complete use of KeyDet: load the bundled COCO model by name, detect, print. */
public final class QuickStart {
  private QuickStart() {}

  /**
   * Detects objects in an image.
   *
   * @param args one image path
   */
  public static void main(String[] args) {
    Path image = Path.of(args.length > 0 ? args[0] : "detector-examples/samples/astronaut.png");
    try (Detector detector = BundledModels.builder("coco")
        .optProvider(ExecutionProvider.auto())
        .build()) {
      DetectionResult result = detector.detect(image);
      for (Detection d : result.detections()) {
        System.out.printf("%-12s %.2f  [%.0f, %.0f, %.0f, %.0f]%n",
            d.label(), d.score(), d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2());
      }
    }
  }
}
