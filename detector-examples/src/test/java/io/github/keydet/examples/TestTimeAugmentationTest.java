package io.github.keydet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.ImageInputs;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flip test and multi-scale testing on the default model with the shipped photographs. */
class TestTimeAugmentationTest {
  private static final List<String> SAMPLES = List.of("astronaut", "coffee", "chelsea");

  private static OnnxDetector detector(boolean flip, List<Double> scales) {
    return OnnxDetector.builder().setModel(DefaultModel.bytes(), DefaultModel.NAME)
        .optProvider(ExecutionProvider.cpu()).optFlipTest(flip).optScales(scales)
        .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(0.2f))
        .build();
  }

  private static BufferedImage mirror(BufferedImage im) {
    AffineTransform t = AffineTransform.getScaleInstance(-1, 1);
    t.translate(-im.getWidth(), 0);
    BufferedImage out = new BufferedImage(im.getWidth(), im.getHeight(), BufferedImage.TYPE_INT_RGB);
    new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(toRgb(im), out);
    return out;
  }

  private static BufferedImage toRgb(BufferedImage im) {
    BufferedImage rgb = new BufferedImage(im.getWidth(), im.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(im, 0, 0, null);
    return rgb;
  }

  private static BufferedImage sample(String name) {
    return ImageInputs.read(Path.of("samples", name + ".png"));
  }

  @Test
  void flipTestOnAMirroredImageGivesMirroredBoxes() {
    try (OnnxDetector d = detector(true, List.of(1.0))) {
      for (String name : SAMPLES) {
        BufferedImage im = sample(name);
        List<Detection> plain = d.detect(im).detections();
        List<Detection> mirrored = d.detect(mirror(im)).detections();
        assertThat(plain).as(name).isNotEmpty();
        Detection best = plain.get(0);
        Detection bestMirrored = mirrored.get(0);
        assertThat(bestMirrored.classId()).isEqualTo(best.classId());
        BoundingBox back = new BoundingBox(im.getWidth() - bestMirrored.box().x2(), bestMirrored.box().y1(),
            im.getWidth() - bestMirrored.box().x1(), bestMirrored.box().y2());
        // The flip test averages the image and its mirror, so mirroring the input mirrors the result (up to the
        // model's cell convention: one output cell is 4 input pixels).
        assertThat(back.iou(best.box())).as(name).isGreaterThan(0.95);
        assertThat(bestMirrored.score()).isCloseTo(best.score(), org.assertj.core.data.Offset.offset(0.03f));
      }
    }
  }

  @Test
  void flipTestKeepsTheObjectsOfThePlainRun() {
    try (OnnxDetector plain = detector(false, List.of(1.0)); OnnxDetector flip = detector(true, List.of(1.0))) {
      for (String name : SAMPLES) {
        Detection a = plain.detect(sample(name)).detections().get(0);
        Detection b = flip.detect(sample(name)).detections().get(0);
        assertThat(b.label()).isEqualTo(a.label());
        assertThat(b.box().iou(a.box())).isGreaterThan(0.85);
      }
    }
  }

  @Test
  void multiScaleMergesWithoutDuplicates() {
    try (OnnxDetector d = detector(true, List.of(0.5, 0.75, 1.0, 1.25, 1.5))) {
      for (String name : SAMPLES) {
        List<Detection> dets = d.detect(sample(name)).detections();
        assertThat(dets).isNotEmpty();
        for (int i = 0; i < dets.size(); i++) {
          for (int j = i + 1; j < dets.size(); j++) {
            if (dets.get(i).classId() == dets.get(j).classId()) {
              assertThat(dets.get(i).box().iou(dets.get(j).box()))
                  .as("%s: %s vs %s", name, dets.get(i), dets.get(j)).isLessThanOrEqualTo(0.5);
            }
          }
          if (i > 0) {
            assertThat(dets.get(i).score()).isLessThanOrEqualTo(dets.get(i - 1).score());
          }
        }
      }
      assertThat(d.detect(sample("coffee")).detections().get(0).label()).isEqualTo("cup");
      assertThat(d.detect(sample("chelsea")).detections().get(0).label()).isEqualTo("cat");
      assertThat(d.detect(sample("astronaut")).detections().get(0).label()).isEqualTo("person");
    }
  }
}
