package io.github.keydet.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.image.ImageTransform;
import io.github.keydet.examples.Annotator;
import io.github.keydet.onnx.RawTensor;
import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/**
 * The heat-map overlay computed by hand on a 2-class, 2 x 3-cell map over a flat grey 12 x 8 image (stride 4,
 * identity transform): pixel (x, y) reads cell (x / 4, y / 4), colour = max over classes of heat x class colour,
 * pixel = round(0.3 x 100 + 0.7 x colour).
 */
class HeatmapOverlayTest {
  private static final int GREY = 100;
  // class 0 = 1 at cell (1, 0); class 1 = 0.5 at cell (2, 1); both 0.25 at cell (0, 1); the rest 0
  private static final float[] NCHW = {
      0, 1, 0, /* class 0 row 1 */ 0.25f, 0, 0,
      0, 0, 0, /* class 1 row 1 */ 0.25f, 0, 0.5f};

  private static BufferedImage grey() {
    BufferedImage img = new BufferedImage(12, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 12; x++) {
        img.setRGB(x, y, new Color(GREY, GREY, GREY).getRGB());
      }
    }
    return img;
  }

  private static final ImageTransform IDENTITY = new ImageTransform(1, 1, 0, 0, 12, 8);

  private static int[] blendOf(double r, double g, double b) {
    return new int[] {(int) Math.round(0.3 * GREY + 0.7 * r), (int) Math.round(0.3 * GREY + 0.7 * g),
        (int) Math.round(0.3 * GREY + 0.7 * b)};
  }

  /** Within 1 per channel: the float alpha may round a value at .5 the other way. */
  private static void assertNear(int[] actual, int[] expected) {
    for (int k = 0; k < 3; k++) {
      assertThat(Math.abs(actual[k] - expected[k])).as("channel %d: %d vs %d", k, actual[k], expected[k])
          .isLessThanOrEqualTo(1);
    }
  }

  private static int[] rgb(BufferedImage img, int x, int y) {
    int p = img.getRGB(x, y);
    return new int[] {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
  }

  @Test
  void cellsTakeTheMaxOfHeatTimesClassColourBlendedSevenTenths() {
    BufferedImage out = HeatmapOverlay.blend(grey(), new RawTensor(NCHW, new long[] {1, 2, 2, 3}), Layout.NCHW,
        Activation.PROBABILITIES, IDENTITY, 4, 0.7f);
    Color c0 = Annotator.colorOf(0);
    Color c1 = Annotator.colorOf(1);
    // cell (1, 0): class 0 at 1 -> its colour
    assertNear(rgb(out, 4, 0), blendOf(c0.getRed(), c0.getGreen(), c0.getBlue()));
    // cell (0, 0): no heat -> 0.3 x grey
    assertNear(rgb(out, 0, 0), blendOf(0, 0, 0));
    // pixel (2, 0): halfway between cells (0, 0) and (1, 0)
    assertNear(rgb(out, 2, 0), blendOf(c0.getRed() / 2.0, c0.getGreen() / 2.0, c0.getBlue() / 2.0));
    // cell (0, 1): both classes at 0.25 -> channel-wise max of the two colours x 0.25
    assertNear(rgb(out, 0, 4), blendOf(0.25 * Math.max(c0.getRed(), c1.getRed()),
        0.25 * Math.max(c0.getGreen(), c1.getGreen()), 0.25 * Math.max(c0.getBlue(), c1.getBlue())));
    // pixel (11, 7) lies past the last cell centre (2.75, 1.75): clamped to cell (2, 1), class 1 at 0.5
    assertNear(rgb(out, 11, 7), blendOf(0.5 * c1.getRed(), 0.5 * c1.getGreen(), 0.5 * c1.getBlue()));
    assertNear(rgb(out, 8, 4), rgb(out, 11, 7));
  }

  @Test
  void nhwcLogitsGiveTheSameOverlayAsNchwProbabilities() {
    float[] nhwcLogits = new float[12];
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 3; x++) {
          float p = NCHW[(c * 2 + y) * 3 + x];
          // logit of p; p = 0 -> -inf (sigmoid 0), p = 1 -> +inf
          nhwcLogits[(y * 3 + x) * 2 + c] = (float) Math.log(p / (1 - p));
        }
      }
    }
    BufferedImage a = HeatmapOverlay.blend(grey(), new RawTensor(NCHW, new long[] {1, 2, 2, 3}), Layout.NCHW,
        Activation.PROBABILITIES, IDENTITY, 4, 0.7f);
    BufferedImage b = HeatmapOverlay.blend(grey(), new RawTensor(nhwcLogits, new long[] {1, 2, 3, 2}), Layout.NHWC,
        Activation.LOGITS, IDENTITY, 4, 0.7f);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 12; x++) {
        int[] pa = rgb(a, x, y);
        int[] pb = rgb(b, x, y);
        for (int k = 0; k < 3; k++) {
          assertThat(Math.abs(pa[k] - pb[k])).as("pixel (%d, %d)", x, y).isLessThanOrEqualTo(1);
        }
      }
    }
  }

  @Test
  void theTransformMapsImagePixelsToCells() {
    // a letterbox-like transform: input = 2 x image + (4, 0); image pixel (0, 0) -> input (4, 0) -> cell (1, 0)
    ImageTransform t = new ImageTransform(2, 2, 4, 0, 12, 8);
    BufferedImage out = HeatmapOverlay.blend(grey(), new RawTensor(NCHW, new long[] {1, 2, 2, 3}), Layout.NCHW,
        Activation.PROBABILITIES, t, 4, 0.7f);
    Color c0 = Annotator.colorOf(0);
    assertNear(rgb(out, 0, 0), blendOf(c0.getRed(), c0.getGreen(), c0.getBlue()));
  }

  @Test
  void badShapesAreRefused() {
    assertThatThrownBy(() -> HeatmapOverlay.blend(grey(), new RawTensor(new float[6], new long[] {2, 3}), Layout.NCHW,
        Activation.PROBABILITIES, IDENTITY, 4, 0.7f)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[1, C, H, W] or [1, H, W, C], got [2, 3]");
  }
}
