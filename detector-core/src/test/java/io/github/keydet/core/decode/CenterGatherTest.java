package io.github.keydet.core.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;
import org.junit.jupiter.api.Test;

/** {@link CenterGather}: the center rule (cell + offset, or + 0.5) and its one NaN rule. */
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
    assertThat(CenterGather.centerX(reg, 0, 1, 2)).isEqualTo(2 + 12f);
    assertThat(CenterGather.centerY(reg, 0, 0, 1)).isEqualTo(0 + 101f);
    assertThat(CenterGather.centerX(null, 0, 1, 2)).isEqualTo(2.5f);
    assertThat(CenterGather.centerY(null, 0, 1, 2)).isEqualTo(1.5f);
  }

  @Test
  void nanIsATypedErrorNamingTheHeadAndPlace() {
    HeadView wh = head("wh");
    assertThat(CenterGather.value(wh, 0, 1, 1, 1)).isEqualTo(111f);
    assertThatThrownBy(() -> CenterGather.value(wh, 0, 1, 1, 2))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("NaN in head 'wh' at batch 0, channel 1, y 1, x 2");
    assertThatThrownBy(() -> CenterGather.centerY(wh, 0, 1, 2))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("channel 1, y 1, x 2");
  }

  @Test
  void ctdetRejectsANanSizeAtAPeak() {
    // hm peak at (x 2, y 1); wh holds NaN there: a typed error, not a box the post-processor silently drops
    float[] hm = new float[2 * 3];
    hm[1 * 3 + 2] = 0.9f;
    float[] wh = new float[2 * 2 * 3];
    wh[1 * 3 + 2] = Float.NaN;
    java.util.Map<String, HeadView> views = new java.util.LinkedHashMap<>();
    views.put("hm", HeadView.of("hm", hm, new long[] {1, 1, 2, 3}, Layout.NCHW));
    views.put("wh", HeadView.of("wh", wh, new long[] {1, 2, 2, 3}, Layout.NCHW));
    CenterNetDecoder d = new CenterNetDecoder(new CenterNetDecoder.Config(1, 3,
        io.github.keydet.core.heads.Activation.PROBABILITIES, Layout.NCHW));
    assertThatThrownBy(() -> d.decode(io.github.keydet.core.heads.Heads.ofViews(views, Layout.NCHW)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("NaN in head 'wh' at batch 0, channel 0, y 1, x 2");
  }
}
