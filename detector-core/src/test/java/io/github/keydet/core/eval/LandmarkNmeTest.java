package io.github.keydet.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LandmarkNme} by hand: a face with eye corners 100 px apart and known landmark errors. */
class LandmarkNmeTest {
  private static float[] face() {
    float[] f = new float[136];
    for (int j = 0; j < 68; j++) {
      f[2 * j] = 50 + j;
      f[2 * j + 1] = 80 + (j % 7);
    }
    f[2 * 36] = 100;
    f[2 * 36 + 1] = 120;
    f[2 * 45] = 200;
    f[2 * 45 + 1] = 120;
    return f;
  }

  @Test
  void errorsOverTheInterOcularDistance() {
    float[] truth = face();
    float[] pred = truth.clone();
    // every landmark 3-4-5 off: error 5 px, inter-ocular 100 px -> NME 0.05
    for (int j = 0; j < 68; j++) {
      pred[2 * j] += 3;
      pred[2 * j + 1] += 4;
    }
    assertThat(LandmarkNme.nme(pred, truth)).isCloseTo(0.05, within(1e-12));
    float[] far = truth.clone();
    for (int j = 0; j < 68; j++) {
      far[2 * j] += 9; // NME 0.09: fails at 0.08, not at 0.10
    }
    LandmarkNme.Result r = LandmarkNme.evaluate(Arrays.asList(pred, far, null), List.of(truth, truth, truth));
    assertThat(r.faces()).isEqualTo(3);
    assertThat(r.meanNme()).isCloseTo(0.07, within(1e-6));
    assertThat(r.failureRate008()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(r.failureRate010()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(r.normalisation()).contains("36").contains("45");
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> LandmarkNme.nme(new float[38], face())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("38 values");
    float[] degenerate = face();
    degenerate[2 * 45] = 100;
    assertThatThrownBy(() -> LandmarkNme.nme(face(), degenerate)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("36 and 45");
    assertThatThrownBy(() -> LandmarkNme.evaluate(List.of(face()), List.of())).isInstanceOf(InvalidInputException.class);
  }
}
