package io.github.keydet.core.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test helper: the reference cases of {@code tools/testdata/enhanced_centernet_refs.py} (the upstream
 * Enhanced-CenterNet decoders run on planted and random heads), in {@code /decode/enhanced}.
 */
final class EnhancedReference {
  private EnhancedReference() {}

  private static File resource(String name) {
    try {
      return new File(EnhancedReference.class.getResource("/decode/enhanced/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cases of one family, name to settings, from {@code cases.json}. */
  static Map<String, JsonNode> cases(String family) {
    try {
      JsonNode root = new ObjectMapper().readTree(resource("cases.json"));
      Map<String, JsonNode> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.get("cases").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().get("family").asText().equals(family)) {
          out.put(e.getKey(), e.getValue());
        }
      }
      assertThat(out).as("cases of " + family).isNotEmpty();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every array of a case (heads, and the expected detections under {@code dets*}). */
  static Map<String, INDArray> arrays(String caseName) {
    Map<String, INDArray> a;
    try {
      a = Nd4j.createFromNpzFile(resource(caseName + ".npz"));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + caseName + ".npz", e);
    }
    for (Map.Entry<String, INDArray> e : a.entrySet()) {
      assertThat(e.getValue().dataType()).as(caseName + "/" + e.getKey()).isEqualTo(DataType.FLOAT);
    }
    return a;
  }

  /** The heads of a case (the arrays not named {@code dets*}) in the given layout. */
  static Heads heads(Map<String, INDArray> arrays, Layout layout) {
    Map<String, INDArray> heads = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      if (!e.getKey().startsWith("dets")) {
        INDArray v = e.getValue();
        heads.put(e.getKey(), layout == Layout.NCHW ? v : v.permute(0, 2, 3, 1).dup('c'));
      }
    }
    return new Heads(heads, layout);
  }

  /** Row {@code k} of batch item 0 of a {@code [1, K, D]} detections array. */
  static float[] row(INDArray dets, int k) {
    return dets.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(k))
        .toFloatVector();
  }
}
