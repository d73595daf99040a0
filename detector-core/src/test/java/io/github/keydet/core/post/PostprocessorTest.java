package io.github.keydet.core.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.Detection;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.image.ImageTransform;
import io.github.keydet.core.image.Preprocessor;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.spec.ResizeMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Back-transforms of the three preprocessing modes, clipping, threshold, per-class NMS and the cap. */
class PostprocessorTest {
  private static final PostprocessConfig RAW = new PostprocessConfig(0f, 1f, false, 1000, false);

  private static List<Detection> run(PostprocessConfig cfg, ImageTransform t, Candidate... cs) {
    return new Postprocessor(cfg).process(List.of(cs), 4, t, id -> "c" + id);
  }

  @Test
  void affineWarpMatchesCenterNetsInverseTransform() throws IOException {
    JsonNode ref = new ObjectMapper().readTree(getClass().getResource("/decode/ctdet/affine.json"));
    Preprocessor pre = new Preprocessor(ModelSpec.builder().setFamily(ModelFamily.CENTERNET).build());
    int checked = 0;
    for (JsonNode c : ref.path("cases")) {
      ImageTransform t = pre.transformFor(c.path("width").asInt(), c.path("height").asInt());
      JsonNode out = c.path("points_output");
      JsonNode img = c.path("points_image");
      for (int i = 0; i < out.size(); i++) {
        float x = (float) out.get(i).get(0).asDouble();
        float y = (float) out.get(i).get(1).asDouble();
        Detection d = run(RAW, t, Candidate.box(x, y, x, y, 1f, 0)).get(0);
        assertThat((double) d.box().x1()).isCloseTo(img.get(i).get(0).asDouble(), within(1e-3));
        assertThat((double) d.box().y1()).isCloseTo(img.get(i).get(1).asDouble(), within(1e-3));
        checked++;
      }
    }
    assertThat(checked).isEqualTo(10);
    // by hand for 640x480: s = 640, 512 input, output 128: image = 5 * cell - (0, 80)
    ImageTransform t = pre.transformFor(640, 480);
    Detection d = run(RAW, t, Candidate.box(10, 20, 30, 40, 1f, 0)).get(0);
    assertThat(new float[] {d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2()})
        .containsExactly(50f, 20f, 150f, 120f);
  }

  @Test
  void letterboxByHand() {
    Preprocessor pre = new Preprocessor(ModelSpec.builder().setFamily(ModelFamily.TTFNET_LTRB)
        .optResize(ResizeMode.LETTERBOX).build());
    // 600x400 -> scale 512/600, resized 512 x round(341.33) = 341, pasted at (0, (512 - 341) / 2 = 85)
    ImageTransform t = pre.transformFor(600, 400);
    Detection d = run(RAW, t, Candidate.box(10, 30, 20, 40, 1f, 0)).get(0);
    // input (40, 120) - (80, 160): x / (512/600), (y - 85) / (341/400)
    assertThat(d.box().x1()).isCloseTo(46.875f, within(1e-4f));
    assertThat(d.box().x2()).isCloseTo(93.75f, within(1e-4f));
    assertThat(d.box().y1()).isCloseTo(35f * 400 / 341, within(1e-4f));
    assertThat(d.box().y2()).isCloseTo(75f * 400 / 341, within(1e-4f));
  }

  @Test
  void padByHand() {
    Preprocessor pre = new Preprocessor(ModelSpec.builder().setFamily(ModelFamily.CENTERNET)
        .optResize(ResizeMode.PAD).build());
    // 500x300 -> canvas 512x320, image center (250, 150) on canvas center (256, 160): offset (6, 10)
    ImageTransform t = pre.transformFor(500, 300);
    assertThat(new double[] {t.scaleX(), t.scaleY(), t.offsetX(), t.offsetY()}).containsExactly(1, 1, 6, 10);
    Detection d = run(RAW, t, Candidate.box(10, 10, 20.5f, 30, 1f, 0)).get(0);
    assertThat(new float[] {d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2()})
        .containsExactly(34f, 30f, 76f, 110f);
  }

  @Test
  void clipping() {
    ImageTransform identity = new ImageTransform(1, 1, 0, 0, 100, 50);
    Candidate outside = Candidate.box(-2, -3, 30, 20, 0.9f, 0); // x4: (-8, -12, 120, 80)
    Detection clipped = run(RAW.withClipToImage(true), identity, outside).get(0);
    assertThat(new float[] {clipped.box().x1(), clipped.box().y1(), clipped.box().x2(), clipped.box().y2()})
        .containsExactly(0f, 0f, 100f, 50f);
    Detection unclipped = run(RAW, identity, outside).get(0);
    assertThat(new float[] {unclipped.box().x1(), unclipped.box().y1(), unclipped.box().x2(), unclipped.box().y2()})
        .containsExactly(-8f, -12f, 120f, 80f);
  }

  @Test
  void invertedAxisCollapsesToItsCenterAndLeavesTheOtherAxisAlone() {
    ImageTransform identity = new ImageTransform(1, 1, 0, 0, 1000, 1000);
    // y inverted (negative regressed height): y collapses to the middle, x keeps its full extent
    Detection d = run(RAW, identity, Candidate.box(1, 5, 11, 3, 0.9f, 0)).get(0);
    assertThat(new float[] {d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2()})
        .containsExactly(4f, 16f, 44f, 16f);
    // x inverted only
    Detection e = run(RAW, identity, Candidate.box(10, 2, 6, 7, 0.9f, 0)).get(0);
    assertThat(new float[] {e.box().x1(), e.box().y1(), e.box().x2(), e.box().y2()})
        .containsExactly(32f, 8f, 32f, 28f);
  }

  @Test
  void thresholdKeepsEqualAndDropsBelow() {
    ImageTransform identity = new ImageTransform(1, 1, 0, 0, 1000, 1000);
    List<Detection> out = run(RAW.withScoreThreshold(0.3f), identity,
        Candidate.box(0, 0, 1, 1, 0.29999f, 0), Candidate.box(10, 10, 11, 11, 0.3f, 0),
        Candidate.box(20, 20, 21, 21, 0.8f, 1), Candidate.box(30, 30, 31, 31, 0f, 2));
    assertThat(out).extracting(Detection::score).containsExactly(0.8f, 0.3f);
    assertThat(out).extracting(Detection::label).containsExactly("c1", "c0");
  }

  @Test
  void perClassNmsSuppressesSameClassOverlapsOnly() {
    ImageTransform identity = new ImageTransform(1, 1, 0, 0, 1000, 1000);
    Candidate a = Candidate.box(0, 0, 10, 10, 0.9f, 0);
    Candidate b = Candidate.box(1, 0, 11, 10, 0.8f, 0); // IoU 9/11 with a: suppressed
    Candidate c = Candidate.box(0, 1, 10, 11, 0.7f, 1); // same place, other class: kept
    Candidate d = Candidate.box(7, 0, 17, 10, 0.6f, 0); // IoU 3/17 with a: kept
    Candidate e = Candidate.box(20, 0, 30, 10, 0.5f, 0); // apart: kept
    PostprocessConfig nms = RAW.withNmsIouThreshold(0.5f);
    List<Detection> out = run(nms, identity, e, d, c, b, a);
    assertThat(out).extracting(Detection::score).containsExactly(0.9f, 0.7f, 0.6f, 0.5f);
    List<Detection> agnostic = run(nms.withClassAgnosticNms(true), identity, e, d, c, b, a);
    assertThat(agnostic).extracting(Detection::score).containsExactly(0.9f, 0.6f, 0.5f);
  }

  @Test
  void maxDetectionsKeepsTheBest() {
    ImageTransform identity = new ImageTransform(1, 1, 0, 0, 1000, 1000);
    List<Candidate> cs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      cs.add(Candidate.box(i * 5, 0, i * 5 + 1, 1, i / 20f, i % 3));
    }
    List<Detection> out = new Postprocessor(RAW.withMaxDetections(5)).process(cs, 4, identity, id -> "x");
    assertThat(out).extracting(Detection::score).containsExactly(19 / 20f, 18 / 20f, 17 / 20f, 16 / 20f, 15 / 20f);
  }

  @Test
  void badSettings() {
    assertThatThrownBy(() -> RAW.withScoreThreshold(1.5f)).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> RAW.withNmsIouThreshold(0f)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> RAW.withMaxDetections(0)).isInstanceOf(InvalidConfigException.class);
  }
}
