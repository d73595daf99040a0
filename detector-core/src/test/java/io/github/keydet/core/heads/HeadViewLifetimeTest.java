package io.github.keydet.core.heads;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A view of an array that is not c-order (here a permuted one, which the view copies) must keep that copy alive:
 * the NIO view of an ND4J buffer does not own its native memory. Without it, the values read after the copy was
 * collected were garbage (or the JVM crashed).
 */
class HeadViewLifetimeTest {
  @Test
  void aViewOfACopyKeepsTheCopyAlive() {
    HeadView[] views = new HeadView[20];
    for (int i = 0; i < views.length; i++) {
      // [1, 8, 8, 4] permuted to [1, 4, 8, 8]: not c-order, so the view makes a c-order copy
      INDArray nhwc = Nd4j.arange(256).castTo(DataType.FLOAT).addi(i).reshape(1, 8, 8, 4);
      views[i] = HeadView.of("hm", nhwc.permute(0, 3, 1, 2), Layout.NCHW);
    }
    for (int round = 0; round < 5; round++) {
      System.gc();
      // churn native memory so that freed buffers get reused
      for (int j = 0; j < 50; j++) {
        Nd4j.rand(DataType.FLOAT, 64, 64).addi(1000);
      }
    }
    for (int i = 0; i < views.length; i++) {
      // value at (n=0, c, y, x) of the permuted array = nhwc[0, y, x, c] = (y * 8 + x) * 4 + c + i
      assertThat(views[i].get(0, 3, 7, 5)).isEqualTo((7 * 8 + 5) * 4 + 3 + i);
      assertThat(views[i].get(0, 0, 0, 0)).isEqualTo(i);
      assertThat(views[i].batchItem(0).get(0, 2, 1, 6)).isEqualTo((1 * 8 + 6) * 4 + 2 + i);
    }
  }
}
