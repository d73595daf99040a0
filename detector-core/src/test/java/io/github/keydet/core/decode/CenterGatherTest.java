package io.github.keydet.core.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.decode.CenterGather.NanRule;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;
import org.junit.jupiter.api.Test;

/** {@link CenterGather}: the center rule (cell + offset, or + 0.5) and both NaN rules. */
class CenterGatherTest {

  /** A [1, 2, 2, 3] NCHW head whose value at (c, y, x) is c·100 + y·10 + x, with a NaN at channel 1, (1, 2). */
  private static HeadView head(String name) {
    float[] v = new float[2 * 2 * 3];
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 3; x++) {
          v[(c * 2 + y) * 3 + x] = c * 100 + y * 10 + x;
        }
      }
    }
    v[(1 * 2 + 1) * 3 + 2] = Float.NaN;
    return HeadView.of(name, v, new long[] {1, 2, 2, 3}, Layout.NCHW);
  }

  @Test
  void centerIsTheCellPlusTheOffsetOrPlusHalf() {
    HeadView reg = head("reg");
    for (NanRule rule : NanRule.values()) {
      assertThat(CenterGather.centerX(reg, 0, 1, 2, rule)).isEqualTo(2 + 12f);
      assertThat(CenterGather.centerY(reg, 0, 0, 1, rule)).isEqualTo(0 + 101f);
      assertThat(CenterGather.centerX(null, 0, 1, 2, rule)).isEqualTo(2.5f);
      assertThat(CenterGather.centerY(null, 0, 1, 2, rule)).isEqualTo(1.5f);
    }
  }

  @Test
  void propagateLetsNanThroughAndRejectNamesTheHeadAndPlace() {
    HeadView wh = head("wh");
    assertThat(CenterGather.value(wh, 0, 1, 1, 2, NanRule.PROPAGATE)).isNaN();
    assertThat(CenterGather.centerY(wh, 0, 1, 2, NanRule.PROPAGATE)).isNaN();
    assertThat(CenterGather.value(wh, 0, 1, 1, 1, NanRule.REJECT)).isEqualTo(111f);
    assertThatThrownBy(() -> CenterGather.value(wh, 0, 1, 1, 2, NanRule.REJECT))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("NaN in head 'wh' at batch 0, channel 1, y 1, x 2");
    assertThatThrownBy(() -> CenterGather.centerY(wh, 0, 1, 2, NanRule.REJECT))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("channel 1, y 1, x 2");
  }
}
