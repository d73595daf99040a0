package io.github.keydet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.DetectionResult;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import org.junit.jupiter.api.Test;

/**
 * {@code detect(new BufferedImage(30000, 30000, TYPE_INT_RGB))}: 2.7e9 bytes as RGB, more than {@code int}
 * counts (it threw NegativeArraySizeException). Preprocessing reads the rows it samples, so it detects like any
 * image. Needs a 3.6 GB image: this module's tests run with an 8 GB heap.
 */
class LargeImageTest {
  @Test
  void a30000By30000IntRgbImageIsDetected() {
    BufferedImage huge = new BufferedImage(30000, 30000, BufferedImage.TYPE_INT_RGB);
    // the shipped photograph, scaled up by nearest neighbour into the middle 15000 x 15000
    BufferedImage cat = DefaultModelFixtures.sample("chelsea");
    int cw = cat.getWidth();
    int ch = cat.getHeight();
    int[] catPx = cat.getRGB(0, 0, cw, ch, null, 0, cw);
    int[] px = ((DataBufferInt) huge.getRaster().getDataBuffer()).getData();
    int side = 15000;
    int off = (30000 - side) / 2;
    int[] sx = new int[side];
    for (int x = 0; x < side; x++) {
      sx[x] = (int) ((long) x * cw / side);
    }
    for (int y = 0, o = off * 30000 + off; y < side; y++, o += 30000) {
      int base = (int) ((long) y * ch / side) * cw;
      for (int x = 0; x < side; x++) {
        px[o + x] = catPx[base + sx[x]] & 0xFFFFFF;
      }
    }
    try (OnnxDetector detector = DefaultModelFixtures.builder().build()) {
      DetectionResult result = detector.detect(huge);
      assertThat(result.imageWidth()).isEqualTo(30000);
      assertThat(result.imageHeight()).isEqualTo(30000);
      assertThat(result.detections()).isNotEmpty();
      assertThat(result.detections().get(0).label()).isEqualTo("cat");
      // in image pixels: inside the middle square
      assertThat(result.detections().get(0).box().x1()).isGreaterThan(off - 500f);
      assertThat(result.detections().get(0).box().x2()).isLessThan(off + side + 500f);
    }
  }
}
