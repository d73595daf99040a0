package io.github.keydet.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.Keypoint;
import io.github.keydet.api.ModelFamily;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Annotator} with {@link LandmarkPainter}: every face landmark is drawn whatever its score, the 300W regions
 * are joined and separate regions are not, clothing landmarks are drawn except the invalid (score 0) ones.
 */
class LandmarkPainterTest {
  private static final ModelFamily LANDMARK = ModelFamily.of("LANDMARK");
  private static final ModelFamily DEEPFASHION2 = ModelFamily.of("DEEPFASHION2");

  /** Landmark i at (15 + 20 (i % 9), 15 + 20 (i / 9)), scoring {@code score}. */
  private static List<Keypoint> grid(int n, float score) {
    List<Keypoint> k = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      k.add(new Keypoint(15 + 20 * (i % 9), 15 + 20 * (i / 9), score));
    }
    return k;
  }

  /** A detection whose box and label sit in the bottom-right corner, away from the landmarks. */
  private static Detection detection(int classId, List<Keypoint> points) {
    return new Detection(new BoundingBox(185, 185, 195, 195), 0.9f, classId, "c", points, List.of(), null);
  }

  private static int rgb(BufferedImage im, float x, float y) {
    return im.getRGB(Math.round(x), Math.round(y)) & 0xffffff;
  }

  /**
   * The 68 landmarks with each 300W region as a ring on two rows: region r's first half left to right on row y_r =
   * 10 + 20 r from x = 20 in steps of 10, the rest right to left on row y_r + 10, so its last landmark is at (20, y_r +
   * 10), 10 px below its first: closing the region is the vertical (20, y_r)-(20, y_r + 10).
   */
  private static List<Keypoint> face(float score) {
    Keypoint[] k = new Keypoint[68];
    for (int r = 0; r < LandmarkPainter.FACE_REGIONS.length; r++) {
      int first = LandmarkPainter.FACE_REGIONS[r][0];
      int n = LandmarkPainter.FACE_REGIONS[r][1] - first + 1;
      int top = (n + 1) / 2;
      for (int j = 0; j < n; j++) {
        int x = j < top ? 20 + 10 * j : 20 + 10 * (n - 1 - j);
        k[first + j] = new Keypoint(x, 10 + 20 * r + (j < top ? 0 : 10), score);
      }
    }
    return List.of(k);
  }

  @Test
  void everyFaceLandmarkIsDrawnAndTheRegionsAreJoined() {
    BufferedImage black = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
    // scores 0, as a model without hm_hp gives: the generic keypoint drawing skips them, the landmark painter not
    List<Keypoint> face = face(0f);
    BufferedImage out = Annotator.draw(black, List.of(detection(0, face)), LANDMARK);
    int color = Annotator.colorOf(0).getRGB() & 0xffffff;
    for (int i = 0; i < 68; i++) {
      assertThat(rgb(out, face.get(i).x(), face.get(i).y())).as("landmark %d", i).isEqualTo(color);
    }
    for (int r = 0; r < 9; r++) {
      int y = 10 + 20 * r;
      boolean closed = r >= 5; // eyes, outer and inner lips
      assertThat(rgb(out, 25, y)).as("region %d: its first two landmarks joined", r).isNotZero();
      assertThat(rgb(out, 20, y + 5) != 0).as("region %d closed", r).isEqualTo(closed);
      if (r < 8) {
        assertThat(rgb(out, 20, y + 15)).as("regions %d and %d not joined", r, r + 1).isZero();
      }
    }
    BufferedImage generic = Annotator.draw(black, List.of(detection(0, face)));
    assertThat(rgb(generic, face.get(0).x(), face.get(0).y())).isZero();
  }

  @Test
  void clothingLandmarksAreDotsWithoutTheInvalidOnes() {
    BufferedImage black = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
    // shorts (class 6): 10 landmarks; the 4th an invalid heat-map landmark (score 0) clipped into the corner
    List<Keypoint> shorts = new ArrayList<>(grid(10, 0.6f));
    shorts.set(3, new Keypoint(0, 0, 0f));
    BufferedImage out = Annotator.draw(black, List.of(detection(6, shorts)), DEEPFASHION2);
    int color = Annotator.colorOf(6).getRGB() & 0xffffff;
    for (int i = 0; i < 10; i++) {
      if (i != 3) {
        assertThat(rgb(out, shorts.get(i).x(), shorts.get(i).y())).as("landmark %d", i).isEqualTo(color);
      }
    }
    assertThat(rgb(out, 0, 0)).as("the invalid landmark").isZero();
    assertThat(rgb(out, 25, 15)).as("no lines between clothing landmarks").isZero();
    // without a heat-map score anywhere (no hm_hp) every landmark is a regressed one and is drawn
    BufferedImage regressed = Annotator.draw(black, List.of(detection(6, grid(10, 0f))), DEEPFASHION2);
    assertThat(rgb(regressed, 75, 15)).isEqualTo(color);
    assertThatThrownBy(() -> LandmarkPainter.paint(out.createGraphics(), ModelFamily.CENTERNET, shorts,
        java.awt.Color.RED, 2f)).hasMessageContaining("CENTERNET");
  }
}
