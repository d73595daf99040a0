package io.github.keydet.core.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.Heads;
import java.io.File;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link CornerNetDecoder} against the rows CornerNet-Lite's own {@code _decode} (torch, run by {@code
 * tools/testdata/cornernet_lite_decode_refs.py}) gives on an 80-class 64x64 case, filtered as its test filters
 * them ({@code score > -1}): kernel 1 (no peak NMS), kernel 5 and {@code no_border}.
 */
class CornerNetLiteDecodeReferenceTest {
  private static final String DIR = "/decode/cornernet_lite/";

  /** The heads; heat maps are stored as shape, background and (flat index, value) cells. */
  static Heads heads() throws Exception {
    Map<String, INDArray> raw = Nd4j.createFromNpzFile(resource("heads.npz"));
    Map<String, INDArray> heads = new LinkedHashMap<>();
    for (String name : List.of("tl_tag", "br_tag", "tl_regr", "br_regr")) {
      heads.put(name, raw.get(name));
    }
    for (String name : List.of("tl_heat", "br_heat")) {
      long[] shape = raw.get(name + "_shape").toLongVector();
      float[] values = new float[(int) (shape[0] * shape[1] * shape[2] * shape[3])];
      java.util.Arrays.fill(values, raw.get(name + "_background").getFloat(0));
      int[] cells = raw.get(name + "_cells").toIntVector();
      float[] cellValues = raw.get(name + "_values").toFloatVector();
      for (int i = 0; i < cells.length; i++) {
        values[cells[i]] = cellValues[i];
      }
      heads.put(name, Nd4j.create(values, shape, 'c'));
    }
    return Heads.nchw(heads);
  }

  private static File resource(String name) throws URISyntaxException {
    return new File(CornerNetLiteDecodeReferenceTest.class.getResource(DIR + name).toURI());
  }

  private static List<List<Candidate>> decode(int kernel, boolean noBorder) throws Exception {
    return new CornerNetDecoder(new CornerNetDecoder.Config(100, kernel, 0.5, 1000, noBorder, Activation.LOGITS))
        .decode(heads());
  }

  @Test
  void kernelOneMatchesUpstreamDecode() throws Exception {
    List<float[]> rows = CornerNetFamilyTestData.readRows(DIR + "kernel1.txt");
    assertThat(rows).hasSize(252);
    CornerNetDecoderTest.assertRows(decode(1, false), rows, 0);
  }

  @Test
  void widerKernelMatchesUpstreamDecode() throws Exception {
    List<float[]> rows = CornerNetFamilyTestData.readRows(DIR + "kernel5.txt");
    assertThat(rows).isNotEmpty();
    CornerNetDecoderTest.assertRows(decode(5, false), rows, 0);
  }

  @Test
  void noBorderMatchesUpstreamDecode() throws Exception {
    List<float[]> rows = CornerNetFamilyTestData.readRows(DIR + "noborder.txt");
    assertThat(rows).hasSize(232);
    CornerNetDecoderTest.assertRows(decode(3, true), rows, 0);
    assertThat(decode(3, false).get(0)).as("without border rejection").hasSizeGreaterThan(rows.size());
  }
}
