package io.github.keydet.core.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidInputException;
import org.junit.jupiter.api.Test;

/** {@link HeadView#planes}: the same row-major planes from either layout, element by element against get(). */
class HeadViewPlanesTest {
  @Test
  void planesEqualGetInBothLayouts() {
    float[] values = new float[2 * 3 * 4 * 5];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.5f - 7;
    }
    for (Layout layout : Layout.values()) {
      long[] shape = layout == Layout.NCHW ? new long[] {2, 3, 4, 5} : new long[] {2, 4, 5, 3};
      HeadView v = HeadView.of("h", values, shape, layout);
      for (int n = 0; n < 2; n++) {
        float[][] p = v.planes(n);
        assertThat(p.length).isEqualTo(3);
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
              assertThat(p[c][y * 5 + x]).as("%s n%d c%d y%d x%d", layout, n, c, y, x).isEqualTo(v.get(n, c, y, x));
            }
          }
        }
      }
    }
  }

  @Test
  void nanIsRefusedWithItsPlace() {
    float[] values = new float[1 * 2 * 3 * 3];
    values[(1 * 3 + 2) * 2 + 1] = Float.NaN; // NHWC y 1, x 2, c 1
    HeadView v = HeadView.of("kpt", values, new long[] {1, 3, 3, 2}, Layout.NHWC);
    assertThatThrownBy(() -> v.planes(0)).isInstanceOf(InvalidInputException.class)
        .hasMessage("NaN in head 'kpt' at batch 0, channel 1, y 1, x 2");
    float[] nchw = new float[1 * 2 * 3 * 3];
    nchw[(1 * 3 + 2) * 3 + 0] = Float.NaN; // NCHW c 1, y 2, x 0
    HeadView w = HeadView.of("hm", nchw, new long[] {1, 2, 3, 3}, Layout.NCHW);
    assertThatThrownBy(() -> w.planes(0)).isInstanceOf(InvalidInputException.class)
        .hasMessage("NaN in head 'hm' at batch 0, channel 1, y 2, x 0");
  }
}
