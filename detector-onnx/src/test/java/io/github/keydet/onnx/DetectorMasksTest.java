package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.InstanceMask;
import io.github.keydet.api.Keypoint;
import io.github.keydet.core.coco.CocoResult;
import io.github.keydet.core.coco.Segmentation;
import io.github.keydet.core.post.PostprocessConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ExtremeNet detections carry DEXTR masks: the planted ExtremeNet group of {@link ExtremeNetPixelHeadsTest} goes
 * through an {@link OnnxDetector} with the tiny DEXTR export as its segmenter; the detection's mask must be the
 * segmenter's own mask for the detection's extreme points (moved onto the image where they lie outside), its COCO
 * result an RLE of that mask, and a detector that owns its segmenter closes it.
 */
class DetectorMasksTest {
  private static final Path EXDET = Path.of("src/test/resources/pixelheads/extremenet_pixel_heads.onnx");
  private static final Path DEXTR = DextrSegmenterTest.DIR.resolve("dextr_tiny.onnx");
  private static final PostprocessConfig ALL = PostprocessConfig.defaults().withScoreThreshold(0.05f);

  private static List<Keypoint> inside(List<Keypoint> pts, BufferedImage im) {
    List<Keypoint> out = new ArrayList<>();
    for (Keypoint k : pts) {
      out.add(new Keypoint(Math.max(0, Math.min(im.getWidth() - 1, k.x())),
          Math.max(0, Math.min(im.getHeight() - 1, k.y())), k.score()));
    }
    return out;
  }

  @Test
  void extremeNetDetectionsCarryTheSegmentersMask() {
    BufferedImage im = ExtremeNetPixelHeadsTest.planted();
    // a low threshold: on this almost black image the random tiny DEXTR's probabilities stay below 0.18
    try (DextrSegmenter dextr = DextrSegmenter.builder().setModel(DEXTR).optThreshold(0.1).build();
        OnnxDetector plain = OnnxDetector.builder().setModel(EXDET).optPostprocess(ALL).build();
        OnnxDetector masked = OnnxDetector.builder().setModel(EXDET).optPostprocess(ALL).optSegmenter(dextr).build()) {
      DetectionResult without = plain.detect(im);
      DetectionResult with = masked.detect(im);
      assertThat(with.detections()).hasSameSizeAs(without.detections()).isNotEmpty();
      for (int i = 0; i < with.detections().size(); i++) {
        Detection a = without.detections().get(i);
        Detection b = with.detections().get(i);
        assertThat(a.optMask()).isEmpty();
        assertThat(b.withMask(null)).isEqualTo(a);
        assertThat(b.keypoints()).hasSize(4);
        InstanceMask expected = dextr.segment(im, inside(b.keypoints(), im));
        assertThat(b.optMask()).contains(expected);
        CocoResult r = CocoResult.of(1, 1, b);
        assertThat(r.segmentation()).isInstanceOf(Segmentation.RunLength.class);
        assertThat(r.segmentation().toRle(64, 64).area()).isEqualTo(expected.area());
        assertThat(r.segmentation().toRle(64, 64).counts()).isEqualTo(expected.rleCounts());
      }
      assertThat(with.detections().get(0).optMask().orElseThrow().area()).isPositive();
    }
  }

  @Test
  void aDetectorClosesTheSegmenterItOwns() {
    BufferedImage im = ExtremeNetPixelHeadsTest.planted();
    OnnxDetector d = OnnxDetector.builder().setModel(EXDET).optPostprocess(ALL).optDextrModel(DEXTR).build();
    assertThat(d.detect(im).detections().get(0).optMask()).isPresent();
    d.close();
    assertThatThrownBy(() -> d.detect(im)).isInstanceOf(IllegalStateException.class);
  }
}
