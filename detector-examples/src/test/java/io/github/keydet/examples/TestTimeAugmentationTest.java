package io.github.keydet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.ImageInputs;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.models.BundledModels;
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
    return OnnxDetector.builder().setModel(DefaultModelFixtures.bytes(), BundledModels.COCO.fileName())
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

  /**
   * The multi-scale merge against an oracle written here: each scale's detections from a single-scale detector
   * (no threshold, no NMS), pooled, then soft-NMS per class as the CenterNet/CornerNet Cython loop (Gaussian,
   * sigma 0.5, drop below 0.001, IoU without +1 as everywhere in KeyDet), then the post-processor's selection
   * (threshold 0.2, stable sort, greedy per-class NMS at IoU 0.5, at most 100).
   */
  @Test
  void multiScaleMergeEqualsSoftNmsOfEachScalesDetections() {
    List<Double> scales = List.of(0.5, 1.0, 1.5);
    PostprocessConfig raw = new PostprocessConfig(0f, 1f, false, 100_000, true);
    try (OnnxDetector multi = detector(true, scales)) {
      for (String name : SAMPLES) {
        BufferedImage im = sample(name);
        List<Detection> pooled = new java.util.ArrayList<>();
        for (double s : scales) {
          try (OnnxDetector one = OnnxDetector.builder().setModel(DefaultModelFixtures.bytes(), BundledModels.COCO.fileName())
              .optProvider(ExecutionProvider.cpu()).optFlipTest(true).optScales(List.of(s)).optPostprocess(raw)
              .build()) {
            one.detect(im).detections().stream().filter(d -> d.score() > 0).forEach(pooled::add);
          }
        }
        List<Detection> expected = select(softNmsPerClass(pooled), 0.2f, 0.5, 100);
        List<Detection> got = multi.detect(im).detections();
        assertThat(got).as(name).hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) {
          Detection g = got.get(i);
          Detection e = expected.get(i);
          assertThat(g.classId()).as("%s #%d", name, i).isEqualTo(e.classId());
          assertThat(g.score()).as("%s #%d", name, i).isCloseTo(e.score(), org.assertj.core.data.Offset.offset(1e-5f));
          assertThat(g.box().iou(e.box())).as("%s #%d", name, i).isGreaterThan(0.9999);
        }
      }
    }
  }

  private static List<Detection> softNmsPerClass(List<Detection> all) {
    java.util.Map<Integer, List<Detection>> byClass = new java.util.TreeMap<>();
    for (Detection d : all) {
      byClass.computeIfAbsent(d.classId(), c -> new java.util.ArrayList<>()).add(d);
    }
    List<Detection> out = new java.util.ArrayList<>();
    for (List<Detection> group : byClass.values()) {
      out.addAll(softNms(group, 0.5f, 0.001f));
    }
    return out;
  }

  /** The Cython loop of CenterNet's soft_nms (method 2, Gaussian), rows swapped and dropped as there. */
  private static List<Detection> softNms(List<Detection> dets, float sigma, float threshold) {
    int n = dets.size();
    BoundingBox[] box = new BoundingBox[n];
    float[] score = new float[n];
    Detection[] src = new Detection[n];
    for (int i = 0; i < n; i++) {
      box[i] = dets.get(i).box();
      score[i] = dets.get(i).score();
      src[i] = dets.get(i);
    }
    for (int i = 0; i < n; i++) {
      int maxPos = i;
      for (int p = i + 1; p < n; p++) {
        if (score[maxPos] < score[p]) {
          maxPos = p;
        }
      }
      swap(box, score, src, i, maxPos);
      int pos = i + 1;
      while (pos < n) {
        double ov = box[i].iou(box[pos]);
        if (ov > 0) {
          score[pos] = (float) (Math.exp(-(ov * ov) / sigma) * score[pos]);
          if (score[pos] < threshold) {
            box[pos] = box[n - 1];
            score[pos] = score[n - 1];
            src[pos] = src[n - 1];
            n--;
            pos--;
          }
        }
        pos++;
      }
    }
    List<Detection> out = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Detection d = src[i];
      out.add(new Detection(box[i], score[i], d.classId(), d.label(), d.keypoints(), d.polygon(), d.box3d()));
    }
    return out;
  }

  private static void swap(BoundingBox[] box, float[] score, Detection[] src, int a, int b) {
    BoundingBox tb = box[a];
    box[a] = box[b];
    box[b] = tb;
    float ts = score[a];
    score[a] = score[b];
    score[b] = ts;
    Detection td = src[a];
    src[a] = src[b];
    src[b] = td;
  }

  /** Threshold, stable sort by score, greedy per-class NMS, cap. */
  private static List<Detection> select(List<Detection> dets, float threshold, double iou, int max) {
    List<Detection> sorted = new java.util.ArrayList<>(dets.stream().filter(d -> d.score() >= threshold).toList());
    sorted.sort((a, b) -> Float.compare(b.score(), a.score()));
    List<Detection> kept = new java.util.ArrayList<>();
    for (Detection d : sorted) {
      boolean suppressed = kept.stream().anyMatch(k -> k.classId() == d.classId() && k.box().iou(d.box()) > iou);
      if (!suppressed) {
        kept.add(d);
      }
    }
    return kept.size() > max ? kept.subList(0, max) : kept;
  }
}
