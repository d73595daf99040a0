package example;

import io.github.keydet.api.Detector;
import io.github.keydet.models.BundledModels;
import java.nio.file.Path;

public class Detect {
  public static void main(String[] args) {
    try (Detector detector = BundledModels.load("coco")) {
      detector.detect(Path.of(args[0])).detections()
          .forEach(d -> System.out.println("DETECTED " + d.label() + " " + d.score() + " " + d.box()));
    }
  }
}
