package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** TTFNet-style ltrb decoding on hand-computed NHWC cases. */
class LtrbDecoderTest {

  private static void put(float[] a, int h, int w, int c0, int y, int x, int c, float v) {
    a[(y * w + x) * c0 + c] = v;
  }

  @Test
  void boxIsStrideTimesCellMinusAndPlusDistancesOverStride() {
    int h = 4;
    int w = 4;
    float[] hm = new float[h * w * 2];
    put(hm, h, w, 2, 1, 2, 1, 0.9f);
    put(hm, h, w, 2, 3, 0, 0, 0.3f);
    float[] ltrb = new float[h * w * 4];
    float[] d = {3, 5, 7, 9};
    for (int c = 0; c < 4; c++) {
      put(ltrb, h, w, 4, 1, 2, c, d[c]);
      put(ltrb, h, w, 4, 3, 0, c, 1);
    }
    LtrbDecoder dec = new LtrbDecoder(CenterNetDecoder.Config.defaults().withK(3).withLayout(Layout.NHWC), 4);
    List<Candidate> out = dec.decode(
        Nd4j.create(hm, new long[] {1, h, w, 2}, 'c'), Nd4j.create(ltrb, new long[] {1, h, w, 4}, 'c')).get(0);
    assertThat(out).hasSize(3);
    // input pixels: (8 - 3, 4 - 5, 8 + 7, 4 + 9) = (5, -1, 15, 13); cells: / 4; no +0.5
    Candidate c = out.get(0);
    assertThat(new float[] {c.x1(), c.y1(), c.x2(), c.y2()}).containsExactly(1.25f, -0.25f, 3.75f, 3.25f);
    assertThat(c.score()).isEqualTo(0.9f);
    assertThat(c.classId()).isEqualTo(1);
    Candidate c2 = out.get(1);
    assertThat(new float[] {c2.x1(), c2.y1(), c2.x2(), c2.y2()}).containsExactly(-0.25f, 2.75f, 0.25f, 3.25f);
    assertThat(c2.classId()).isZero();
    assertThat(out.get(2).score()).isZero();
  }

  @Test
  void rejectsBadStrideAndChannels() {
    assertThatThrownBy(() -> new LtrbDecoder(CenterNetDecoder.Config.defaults(), 0))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("stride");
    LtrbDecoder dec = new LtrbDecoder(CenterNetDecoder.Config.defaults().withK(2), 4);
    assertThatThrownBy(() -> dec.decode(Nd4j.zeros(1, 2, 4, 4), Nd4j.zeros(1, 2, 4, 4)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'ltrb'").hasMessageContaining("4 channels");
  }
}
