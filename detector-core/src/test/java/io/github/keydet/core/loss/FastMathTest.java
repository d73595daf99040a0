package io.github.keydet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FastMathTest {

  @Test
  void logAgreesWithMath() {
    Random r = new Random(11);
    double worstLog = 0;
    for (int i = 0; i < 200_000; i++) {
      double x = r.nextDouble() * Math.pow(10, 6 - r.nextInt(40));
      double near1 = 1 - r.nextDouble() * 1e-3;
      for (double v : new double[] {x, near1, 1 + r.nextDouble() * 1e-3}) {
        double e = Math.log(v);
        if (e != 0) {
          worstLog = Math.max(worstLog, Math.abs(FastMath.log(v) - e) / Math.abs(e));
        }
      }
    }
    assertThat(worstLog).isLessThan(1e-11);
    assertThat(FastMath.log(0)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(FastMath.log(-1)).isNaN();
    assertThat(FastMath.log(1)).isEqualTo(0.0);
  }
}
