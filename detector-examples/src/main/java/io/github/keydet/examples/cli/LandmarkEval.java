package io.github.keydet.examples.cli;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.Keypoint;
import io.github.keydet.core.coco.CocoAnnotation;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoImage;
import io.github.keydet.core.eval.LandmarkNme;
import io.github.keydet.onnx.OnnxDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code keydet eval --metric nme}: runs a 68-landmark model on the annotated images and scores it as 300W does
 * ({@link LandmarkNme}). Each annotated face (an annotation with 68 keypoints) is paired with the detection whose box
 * overlaps its box most (IoU > 0); a face without one, or whose image is missing, is a failure. Stateless.
 */
final class LandmarkEval {
  private LandmarkEval() {}

  /** The faces' scores; see the class comment. */
  static LandmarkNme.Result run(OnnxDetector detector, CocoDataset gt, Path imagesDir) {
    if (!Files.isDirectory(imagesDir)) {
      throw new InvalidInputException("--images is not a folder: " + imagesDir);
    }
    List<float[]> predicted = new ArrayList<>();
    List<float[]> truth = new ArrayList<>();
    for (CocoImage image : gt.images()) {
      List<CocoAnnotation> faces = new ArrayList<>();
      for (CocoAnnotation a : gt.annotations(image.id())) {
        if (a.keypoints() != null && a.keypoints().length == 3 * 68) {
          faces.add(a);
        }
      }
      if (faces.isEmpty()) {
        continue;
      }
      Path file = imagesDir.resolve(image.fileName());
      List<Detection> dets = Files.isRegularFile(file) ? detector.detect(file).detections() : List.of();
      for (CocoAnnotation face : faces) {
        truth.add(xy(face.keypointsAsFloats()));
        predicted.add(best(face, dets));
      }
    }
    if (truth.isEmpty()) {
      throw new InvalidInputException("no annotation with 68 keypoints in the annotations: NME needs 300W faces");
    }
    return LandmarkNme.evaluate(predicted, truth);
  }

  private static float[] xy(float[] xyv) {
    float[] p = new float[2 * 68];
    for (int j = 0; j < 68; j++) {
      p[2 * j] = xyv[3 * j];
      p[2 * j + 1] = xyv[3 * j + 1];
    }
    return p;
  }

  /** The 68 landmarks of the detection overlapping the face's box most, or null. */
  private static float[] best(CocoAnnotation face, List<Detection> dets) {
    double[] b = face.bbox();
    double bestIou = 0;
    Detection best = null;
    for (Detection d : dets) {
      if (d.keypoints().size() != 68) {
        continue;
      }
      BoundingBox box = d.box();
      double iou = BoundingBox.iou((float) b[0], (float) b[1], (float) (b[0] + b[2]), (float) (b[1] + b[3]),
          box.x1(), box.y1(), box.x2(), box.y2());
      if (iou > bestIou) {
        bestIou = iou;
        best = d;
      }
    }
    if (best == null) {
      return null;
    }
    float[] p = new float[2 * 68];
    for (int j = 0; j < 68; j++) {
      Keypoint k = best.keypoints().get(j);
      p[2 * j] = k.x();
      p[2 * j + 1] = k.y();
    }
    return p;
  }
}
