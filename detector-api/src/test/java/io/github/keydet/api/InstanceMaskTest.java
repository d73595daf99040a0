package io.github.keydet.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link InstanceMask#ofRegion} against the flags it was given, pixel by pixel, with the tight box and area. */
class InstanceMaskTest {
  @Test
  void regionMaskHoldsExactlyTheSetFlagsAndTheirTightBox() {
    Random rnd = new Random(4);
    for (int trial = 0; trial < 300; trial++) {
      int width = 1 + rnd.nextInt(40);
      int height = 1 + rnd.nextInt(40);
      int w = rnd.nextInt(width + 1);
      int h = rnd.nextInt(height + 1);
      int x = rnd.nextInt(width - w + 1);
      int y = rnd.nextInt(height - h + 1);
      double density = new double[] {0, 0.01, 0.3, 0.97, 1}[trial % 5];
      boolean[] region = new boolean[w * h];
      int minX = Integer.MAX_VALUE;
      int minY = Integer.MAX_VALUE;
      int maxX = -1;
      int maxY = -1;
      long area = 0;
      for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
          if (rnd.nextDouble() < density) {
            region[r * w + c] = true;
            minX = Math.min(minX, c);
            maxX = Math.max(maxX, c);
            minY = Math.min(minY, r);
            maxY = Math.max(maxY, r);
            area++;
          }
        }
      }
      InstanceMask m = InstanceMask.ofRegion(width, height, x, y, w, h, region);
      assertThat(m.area()).isEqualTo(area);
      assertThat(m.bounds()).isEqualTo(area == 0 ? new int[] {0, 0, 0, 0}
          : new int[] {x + minX, y + minY, maxX - minX + 1, maxY - minY + 1});
      for (int py = 0; py < height; py++) {
        for (int px = 0; px < width; px++) {
          boolean inside = px >= x && py >= y && px < x + w && py < y + h;
          assertThat(m.get(px, py)).isEqualTo(inside && region[(py - y) * w + px - x]);
        }
      }
    }
  }
}
