package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.Detection;
import java.awt.image.BufferedImage;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;

/** The tiny test models of tools/testdata/make_bad_models.py. */
final class TinyModels {
  private TinyModels() {}

  static Path path(String file) {
    try {
      return Path.of(TinyModels.class.getResource("/bad/" + file).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static BufferedImage image() {
    BufferedImage im = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        im.setRGB(x, y, ((x * 6) << 16) | ((y * 8) << 8) | ((x + y) * 3));
      }
    }
    return im;
  }

  /**
   * The same detections up to float rounding (runs with other thread counts or batch sizes may sum in another
   * order): same count, classes and order, scores within 1e-5, boxes at IoU above 0.9999.
   */
  static void assertSameDetections(List<Detection> got, List<Detection> want, String what) {
    assertThat(got).as(what).hasSameSizeAs(want);
    for (int k = 0; k < want.size(); k++) {
      assertThat(got.get(k).classId()).as("%s, detection %d", what, k).isEqualTo(want.get(k).classId());
      assertThat(got.get(k).score()).as("%s, detection %d", what, k)
          .isCloseTo(want.get(k).score(), Offset.offset(1e-5f));
      assertThat(got.get(k).box().iou(want.get(k).box())).as("%s, detection %d", what, k).isGreaterThan(0.9999);
    }
  }
}
