package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.Detection;
import io.github.keydet.api.Keypoint;
import io.github.keydet.core.post.PostprocessConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ExtremeNet through the whole exported path (ONNX Runtime, heads, edge aggregation, grouping, octagon), with a
 * group planted in the pixels of a model that reads its heads from the image
 * (tools/testdata/make_pixel_heads_model.py: one class; in the 4x4 block of cell (X, Y) red (0,0), (0,1), (1,0),
 * (1,1), (2,0) are the t, l, b, r and center logits (p - 128) / 10; green and blue hold the offsets p / 255).
 * The expected detection is computed here from ExtremeNet's rules: box (l_x, t_y, r_x, b_y) of the offset points,
 * score (t + l + b + r + 2 ct) / 6 of the sigmoids, times the stride 4; the letterbox of a 64x64 image is the
 * identity. The background (pixel 0, logit -12.8, sigmoid 2.8e-6) adds at most ~1e-6 through edge aggregation.
 */
class ExtremeNetPixelHeadsTest {
  private static final Path MODEL = Path.of("src/test/resources/pixelheads/extremenet_pixel_heads.onnx");
  private static final PostprocessConfig ALL = PostprocessConfig.defaults().withScoreThreshold(0.05f);

  // cells: t (8, 3), l (3, 8), b (8, 13), r (13, 8); center (8, 8) = ((3 + 13) / 2, (3 + 13) / 2)
  private static final int[][] POINTS = {{8, 3}, {3, 8}, {8, 13}, {13, 8}};
  // logits 3, 2, 1, 4 for t, l, b, r and 5 for the center
  private static final int[] HEAT_PIXEL = {158, 148, 138, 168};
  private static final int CENTER_PIXEL = 178;
  // offsets (x, y) of t, l, b, r as pixel values (/ 255)
  private static final int[][] OFFSET_PIXEL = {{51, 102}, {204, 153}, {25, 230}, {128, 64}};

  private static double sigmoid(double logit) {
    return 1 / (1 + Math.exp(-logit));
  }

  private static double logit(int pixel) {
    return (pixel - 128) / 10.0;
  }

  static BufferedImage planted() {
    BufferedImage im = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    int[][] heatAt = {{0, 0}, {0, 1}, {1, 0}, {1, 1}}; // (row, col) of t, l, b, r in the red channel
    int[][] offsetAt = {{0, 0}, {1, 0}, {0, 0}, {1, 0}}; // row, first column of the x offset
    for (int i = 0; i < 4; i++) {
      int bx = POINTS[i][0] * 4;
      int by = POINTS[i][1] * 4;
      set(im, bx + heatAt[i][1], by + heatAt[i][0], 16, HEAT_PIXEL[i]);
      int shift = i < 2 ? 8 : 0; // t, l offsets in green, b, r in blue
      set(im, bx + offsetAt[i][1], by + offsetAt[i][0], shift, OFFSET_PIXEL[i][0]);
      set(im, bx + offsetAt[i][1] + 1, by + offsetAt[i][0], shift, OFFSET_PIXEL[i][1]);
    }
    set(im, 8 * 4, 8 * 4 + 2, 16, CENTER_PIXEL);
    return im;
  }

  /** Sets one 8-bit channel (shift 16 red, 8 green, 0 blue) of one pixel. */
  private static void set(BufferedImage im, int x, int y, int shift, int value) {
    int rgb = im.getRGB(x, y) & 0xffffff;
    rgb = (rgb & ~(0xff << shift)) | (value << shift);
    im.setRGB(x, y, rgb);
  }

  private static OnnxDetector detector(boolean flip) {
    return OnnxDetector.builder().setModel(MODEL).optProvider(ExecutionProvider.cpu()).optPostprocess(ALL)
        .optFlipTest(flip).build();
  }

  private static double[] expectedPoint(int i) {
    return new double[] {
      4 * (POINTS[i][0] + OFFSET_PIXEL[i][0] / 255.0), 4 * (POINTS[i][1] + OFFSET_PIXEL[i][1] / 255.0)};
  }

  @Test
  void plantedGroupIsDetectedWithItsBoxScorePointsAndOctagon() {
    try (OnnxDetector d = detector(false)) {
      List<Detection> dets = d.detect(planted()).detections();
      assertThat(dets).hasSize(1);
      Detection det = dets.get(0);
      double expected = (sigmoid(3) + sigmoid(2) + sigmoid(1) + sigmoid(4) + 2 * sigmoid(5)) / 6;
      assertThat((double) det.score()).isCloseTo(expected, within(1e-5));
      double[] t = expectedPoint(0);
      double[] l = expectedPoint(1);
      double[] b = expectedPoint(2);
      double[] r = expectedPoint(3);
      assertThat((double) det.box().x1()).isCloseTo(l[0], within(1e-3));
      assertThat((double) det.box().y1()).isCloseTo(t[1], within(1e-3));
      assertThat((double) det.box().x2()).isCloseTo(r[0], within(1e-3));
      assertThat((double) det.box().y2()).isCloseTo(b[1], within(1e-3));
      List<Keypoint> points = det.keypoints();
      assertThat(points).hasSize(4);
      double[][] want = {t, l, b, r};
      double[] heat = {sigmoid(3), sigmoid(2), sigmoid(1), sigmoid(4)};
      for (int i = 0; i < 4; i++) {
        assertThat((double) points.get(i).x()).as("point %d x", i).isCloseTo(want[i][0], within(1e-3));
        assertThat((double) points.get(i).y()).as("point %d y", i).isCloseTo(want[i][1], within(1e-3));
        assertThat((double) points.get(i).score()).as("point %d score", i).isCloseTo(heat[i], within(1e-5));
      }
      // ExtremeNet's get_octagon: t and b extended by w / 8 sideways, l and r by h / 8 up and down, in the box
      double w = r[0] - l[0];
      double h = b[1] - t[1];
      double[][] octagon = {
        {Math.min(t[0] + w / 8, r[0]), t[1]}, {Math.max(t[0] - w / 8, l[0]), t[1]},
        {l[0], Math.max(l[1] - h / 8, t[1])}, {l[0], Math.min(l[1] + h / 8, b[1])},
        {Math.max(b[0] - w / 8, l[0]), b[1]}, {Math.min(b[0] + w / 8, r[0]), b[1]},
        {r[0], Math.min(r[1] + h / 8, b[1])}, {r[0], Math.max(r[1] - h / 8, t[1])}};
      assertThat(det.polygon()).hasSize(8);
      for (int i = 0; i < 8; i++) {
        assertThat((double) det.polygon().get(i).x()).as("vertex %d x", i).isCloseTo(octagon[i][0], within(1e-3));
        assertThat((double) det.polygon().get(i).y()).as("vertex %d y", i).isCloseTo(octagon[i][1], within(1e-3));
      }
    }
  }

  @Test
  void flipTestAveragesWithTheMirrorWhichSeesOnlyBackground() {
    // the mirror reads columns 3 and 2 of each block, which are 0 here: its heat maps are background (2.8e-6),
    // so every merged heat value is (p + 2.8e-6) / 2; l merges with the mirror's r and the reverse, offsets are
    // the original's
    double bg = sigmoid(logit(0));
    try (OnnxDetector d = detector(true)) {
      List<Detection> dets = d.detect(planted()).detections();
      assertThat(dets).hasSize(1);
      double expected = ((sigmoid(3) + bg) / 2 + (sigmoid(2) + bg) / 2 + (sigmoid(1) + bg) / 2
          + (sigmoid(4) + bg) / 2 + 2 * (sigmoid(5) + bg) / 2) / 6;
      assertThat((double) dets.get(0).score()).isCloseTo(expected, within(1e-5));
      assertThat((double) dets.get(0).box().x1()).isCloseTo(expectedPoint(1)[0], within(1e-3));
      assertThat((double) dets.get(0).box().y2()).isCloseTo(expectedPoint(2)[1], within(1e-3));
    }
  }
}
