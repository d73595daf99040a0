package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.Detection;
import io.github.keydet.api.ImageInputs;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.family.Families;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.core.spec.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CornerNet-Squeeze end to end as a plain CornerNet model with its config's test settings (top_k 20, num_dets 100,
 * ae_threshold 0.5, kernel 3; output stride 8): the tiny random-weight export of {@code
 * tools/export/make_test_resources.py --only squeeze_cornernet} on its 127x127 PNG. ONNX Runtime's heads equal
 * PyTorch's, the decoder on PyTorch's heads gives the rows of the upstream {@code _decode} (Python port in
 * keydet_export/decode.py), and the detector's best box is the best row at stride 8.
 */
class SqueezeDetectionTest {
  private static final Path DIR = Path.of("src/test/resources/tiny");
  private static final String MODEL = "squeeze_cornernet";
  /** The test settings the export writes into the metadata ({@code keydet.top_k}, {@code keydet.num_dets}). */
  private static final DecodeOptions SQUEEZE = DecodeOptions.builder().optK(20).optNumDets(100).build();

  private static INDArray npy(String name) {
    INDArray a = Nd4j.createFromNpyFile(DIR.resolve(name).toFile());
    return a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
  }

  private static OnnxDetector detector(PostprocessConfig post) {
    return OnnxDetector.builder().setModel(DIR.resolve(MODEL + ".onnx")).optProvider(ExecutionProvider.cpu())
        .optPostprocess(post).build();
  }

  @Test
  void runsAsCornerNetWithTheSqueezeConfig() throws Exception {
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve(MODEL + ".detections.json").toFile());
    assertThat(ref.get("params").get("K").asInt()).isEqualTo(20);
    Map<String, INDArray> pytorch = new LinkedHashMap<>();
    ModelSpec spec;
    try (OnnxDetector d = detector(PostprocessConfig.defaults())) {
      spec = d.spec();
      assertThat(spec.family()).isEqualTo(ModelFamily.CORNERNET);
      assertThat(spec.stride()).isEqualTo(8);
      // the detector takes them from the model: no decode options are passed above
      assertThat(spec.topK()).isEqualTo(20);
      assertThat(spec.numDets()).isEqualTo(100);
      DecodeOptions fromModel = DecodeOptions.defaults().withModelDefaults(spec.topK(), spec.numDets());
      assertThat(fromModel.kOr(100)).isEqualTo(20);
      assertThat(fromModel.numDetsOr(1000)).isEqualTo(100);
      DecodeOptions explicit = DecodeOptions.builder().optK(7).optNumDets(9).build().withModelDefaults(20, 100);
      assertThat(explicit.kOr(100)).as("an explicit K wins").isEqualTo(7);
      assertThat(explicit.numDetsOr(1000)).isEqualTo(9);
      PreparedInput prepared = d.preprocessor().prepare(ImageInputs.read(DIR.resolve(MODEL + ".png")));
      float[] expectedInput = npy(MODEL + ".input.npy").data().asFloat();
      assertThat(maxAbsDiff(prepared.data(), expectedInput)).as("preprocessing").isLessThan(1e-5);
      Map<String, RawTensor> raw = d.runRaw(prepared, new LinkedHashSet<>());
      for (String head : List.of("tl_heat", "br_heat", "tl_tag", "br_tag", "tl_regr", "br_regr")) {
        INDArray e = npy(MODEL + "." + head + ".npy");
        pytorch.put(head, e);
        RawTensor got = raw.get(head);
        assertThat(got.shape()).isEqualTo(e.shape());
        float[] ev = e.data().asFloat();
        assertThat(maxAbsDiff(got.data(), ev) / Math.max(1.0, maxAbs(ev))).as("head %s", head).isLessThan(1e-4);
      }
      assertThat(pytorch.get("tl_heat").shape()).containsExactly(1, 80, 16, 16);
    }
    List<Candidate> rows = Families.of(spec.family()).decoder(spec, SQUEEZE).decode(Heads.nchw(pytorch)).get(0);
    List<JsonNode> valid = new ArrayList<>();
    ref.get("rows").forEach(r -> {
      if (r.get(4).asDouble() > -1) {
        valid.add(r);
      }
    });
    assertThat(rows).hasSize(valid.size()).isNotEmpty();
    for (int i = 0; i < rows.size(); i++) {
      Candidate c = rows.get(i);
      JsonNode r = valid.get(i);
      assertThat((double) c.score()).as("row %d score", i).isCloseTo(r.get(4).asDouble(), within(1e-6));
      assertThat(c.classId()).as("row %d class", i).isEqualTo(r.get(7).asInt());
      float[] box = {c.x1(), c.y1(), c.x2(), c.y2()};
      for (int k = 0; k < 4; k++) {
        assertThat((double) box[k]).as("row %d box", i).isCloseTo(r.get(k).asDouble(), within(1e-5));
      }
    }
    Candidate best = rows.get(0);
    float threshold = Math.min(0.3f, best.score() / 2);
    try (OnnxDetector low = detector(PostprocessConfig.defaults().withScoreThreshold(threshold))) {
      List<Detection> dets = low.detect(ImageInputs.read(DIR.resolve(MODEL + ".png"))).detections();
      Detection top = dets.get(0);
      assertThat((double) top.score()).isCloseTo(best.score(), within(1e-5));
      assertThat(top.classId()).isEqualTo(best.classId());
      assertThat((double) top.box().x2()).isCloseTo(Math.min(127, best.x2() * 8), within(1e-2));
      assertThat((double) top.box().y2()).isCloseTo(Math.min(127, best.y2() * 8), within(1e-2));
    }
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  private static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
