package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URISyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link CenterNetDecoder} against an independent numpy port of CenterNet's {@code ctdet_decode}
 * ({@code tools/testdata/ctdet_reference.py}) on a fixed-seed random [2, 5, 16, 16] heatmap with planted peaks
 * (corner, borders, a plateau, equal scores in two classes).
 */
class CtdetReferenceTest {

  static INDArray npy(String name) {
    try {
      File f = new File(CtdetReferenceTest.class.getResource("/decode/ctdet/" + name).toURI());
      INDArray a = Nd4j.createFromNpyFile(f);
      assertThat(a.dataType()).as(name + " dtype").isEqualTo(DataType.FLOAT);
      return a;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void compare(List<List<Candidate>> actual, INDArray expected) {
    assertThat(actual).hasSize((int) expected.size(0));
    for (int n = 0; n < actual.size(); n++) {
      float[][] exp = expected.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n)).toFloatMatrix();
      Rows.assertSameRows(exp, Rows.of(actual.get(n), 1f), 1e-5);
    }
  }

  @Test
  void sizeAndOffsetHeads() {
    List<List<Candidate>> out = new CenterNetDecoder(CenterNetDecoder.Config.defaults().withK(40))
        .decode(npy("heat.npy"), npy("wh.npy"), npy("reg.npy"));
    compare(out, npy("dets_wh_reg_k40.npy"));
  }

  @Test
  void categorySpecificSizesWithoutOffsets() {
    List<List<Candidate>> out = new CenterNetDecoder(CenterNetDecoder.Config.defaults().withK(60))
        .decode(npy("heat.npy"), npy("wh_cat.npy"), null);
    compare(out, npy("dets_catwh_noreg_k60.npy"));
  }

  @Test
  void logits() {
    List<List<Candidate>> out = new CenterNetDecoder(
            CenterNetDecoder.Config.defaults().withK(40).withActivation(Activation.LOGITS))
        .decode(npy("logits.npy"), npy("wh.npy"), npy("reg.npy"));
    // the numpy sigmoid runs in float64 then rounds; Java's in double then rounds: the same float
    compare(out, npy("dets_logits_k40.npy"));
  }
}
