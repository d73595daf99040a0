package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.Detection;
import io.github.keydet.api.ImageInputs;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.family.Families;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.decode.TripletsDecoder;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.core.family.HeadSpec;
import io.github.keydet.core.spec.ModelSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The tiny exports of the original architectures (tools/export/make_test_resources.py: DLA-34 with DCNv2 as ONNX
 * DeformConv, ResNet up-convolution necks, Hourglass-104 with corner/center pooling, and Wastoon's Hourglass-104
 * {@code gridneighbordet} heads for flags 0, 4, 8) load with no explicit spec (it is read from their metadata), ONNX
 * Runtime reproduces PyTorch's heads, KeyDet's preprocessing reproduces the exported input, and KeyDet's decoders
 * reproduce the rows of the upstream decoders computed in Python (for GRIDNEIGHBOR the original upstream
 * function, per point flag).
 */
class ExportedModelsTest {
  private static final Path DIR = Path.of("src/test/resources/tiny");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static INDArray npy(String name) {
    INDArray a = Nd4j.createFromNpyFile(DIR.resolve(name).toFile());
    return a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
  }

  private static OnnxDetector load(String model, PostprocessConfig post) {
    return OnnxDetector.builder().setModel(DIR.resolve(model + ".onnx")).optProvider(ExecutionProvider.cpu())
        .optPostprocess(post).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "dla34_ctdet", "dla34_multi_pose", "dla34_ddd", "res18_ctdet", "res18_multi_pose", "resdcn18_ctdet",
    "resdcn18_multi_pose", "resdcn18_ddd", "resdcn101_ctdet", "hourglass104_ctdet", "hourglass104_multi_pose",
    "hourglass104_exdet", "hourglass104_cornernet", "hourglass104_triplets", "hourglass104_gridneighbordet"
  })
  void runsLikePyTorchAndDecodesLikeTheOriginals(String model) throws IOException {
    JsonNode ref = JSON.readTree(DIR.resolve(model + ".detections.json").toFile());
    try (OnnxDetector d = load(model, PostprocessConfig.defaults())) {
      ModelSpec spec = d.spec();
      assertThat(spec.family()).isEqualTo(expectedFamily(model));

      // 1. KeyDet's preprocessing of the PNG (exactly the input size: the affine warp is the identity)
      INDArray input = npy(model + ".input.npy");
      PreparedInput prepared = d.preprocessor().prepare(ImageInputs.read(DIR.resolve(model + ".png")));
      float[] expectedInput = input.data().asFloat();
      assertThat(prepared.shape()).isEqualTo(input.shape());
      assertThat(maxAbsDiff(prepared.data(), expectedInput)).as("preprocessing").isLessThan(1e-5);

      // 2. ONNX Runtime (Java) heads == PyTorch eager heads
      Map<String, RawTensor> raw = d.runRaw(prepared, new LinkedHashSet<>());
      Map<String, INDArray> pytorchHeads = new LinkedHashMap<>();
      for (HeadSpec head : Families.of(spec.family()).heads(spec)) {
        File f = DIR.resolve(model + "." + head.name() + ".npy").toFile();
        if (!f.isFile()) {
          assertThat(head.required()).as("reference of required head %s", head.name()).isFalse();
          continue;
        }
        INDArray expected = npy(f.getName());
        pytorchHeads.put(head.name(), expected);
        RawTensor got = raw.get(spec.outputName(head.name()));
        assertThat(got).as("output %s", head.name()).isNotNull();
        assertThat(got.shape()).isEqualTo(expected.shape());
        float[] e = expected.data().asFloat();
        double scale = Math.max(1.0, maxAbs(e));
        assertThat(maxAbsDiff(got.data(), e) / scale).as("head %s, relative", head.name()).isLessThan(1e-4);
      }

      // 3. KeyDet's decoder on PyTorch's heads == the upstream decoder's rows (Python port)
      List<Candidate> rows = Families.of(spec.family()).decoder(spec, DecodeOptions.defaults())
          .decode(Heads.nchw(pytorchHeads)).get(0);
      compareWithUpstream(model, spec.family(), rows, ref, Heads.nchw(pytorchHeads), spec);

      // 4. the whole detector: the best detection is the best decoded row, back in image pixels (stride 4,
      //    identity warp). Random weights give low scores (two pose exports peak below the default 0.3), so the
      //    detector runs with a threshold below the best row's score: every model is checked end to end.
      if (spec.family().equals(ModelFamily.EXTREMENET)) {
        assertThat(rows).as("random ExtremeNet maps group nothing (see ExtremeNetPixelHeadsTest)").isEmpty();
      } else if (spec.family().equals(ModelFamily.CENTERNET_TRIPLETS) && rows.isEmpty()) {
        // random centers validate no pair; the planted center above and TripletsDetectionTest cover the rest
        assertThat(ref.get("rows").size()).isPositive();
      } else {
        assertThat(rows).as("decoded rows of %s", model).isNotEmpty();
        float threshold = Math.min(0.3f, rows.get(0).score() / 2);
        List<Detection> dets;
        try (OnnxDetector low = load(model, PostprocessConfig.defaults().withScoreThreshold(threshold))) {
          dets = low.detect(ImageInputs.read(DIR.resolve(model + ".png"))).detections();
        }
        assertThat(dets).isNotEmpty();
        Candidate best = rows.get(0);
        Detection top = dets.get(0);
        // detect() decodes ONNX Runtime's heads, the rows come from PyTorch's (equal to ~1e-6)
        assertThat((double) top.score()).isCloseTo(best.score(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(top.classId()).isEqualTo(best.classId());
        int w = (int) input.shape()[3];
        int h = (int) input.shape()[2];
        // clipped to the image; a box with x2 < x1 (a random negative size) becomes its middle, as the
        // postprocessor documents
        double x1 = clamp(best.x1() * 4, w);
        double x2 = clamp(best.x2() * 4, w);
        double y1 = clamp(best.y1() * 4, h);
        double y2 = clamp(best.y2() * 4, h);
        assertThat((double) top.box().x2()).isCloseTo(x2 < x1 ? (x1 + x2) / 2 : x2, org.assertj.core.data.Offset.offset(1e-2));
        assertThat((double) top.box().y2()).isCloseTo(y2 < y1 ? (y1 + y2) / 2 : y2, org.assertj.core.data.Offset.offset(1e-2));
      }
    }
  }

  private static double clamp(double v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  private static ModelFamily expectedFamily(String model) {
    String task = model.substring(model.indexOf('_') + 1);
    return switch (task) {
      case "ctdet" -> ModelFamily.CENTERNET;
      case "multi_pose" -> ModelFamily.MULTI_POSE;
      case "ddd" -> ModelFamily.DDD;
      case "exdet" -> ModelFamily.EXTREMENET;
      case "cornernet" -> ModelFamily.CORNERNET;
      case "triplets" -> ModelFamily.CENTERNET_TRIPLETS;
      case "gridneighbordet" -> ModelFamily.of("GRIDNEIGHBOR");
      default -> throw new IllegalArgumentException(task);
    };
  }

  /** A Java candidate as a row in the reference's column order. */
  private static float[] row(ModelFamily family, Candidate c) {
    List<Float> v = new ArrayList<>();
    switch (family.id()) {
      case "DDD" -> {
        v.add(c.points()[0]);
        v.add(c.points()[1]);
        v.add(c.score());
        for (float r : c.object3d().rot()) {
          v.add(r);
        }
        v.add(c.object3d().depth());
        v.add(c.object3d().height());
        v.add(c.object3d().width());
        v.add(c.object3d().length());
        v.add(c.x2() - c.x1());
        v.add(c.y2() - c.y1());
      }
      default -> {
        v.add(c.x1());
        v.add(c.y1());
        v.add(c.x2());
        v.add(c.y2());
        v.add(c.score());
        if (family == ModelFamily.MULTI_POSE || family == ModelFamily.EXTREMENET) {
          for (float p : c.points()) {
            v.add(p);
          }
        }
      }
    }
    v.add((float) c.classId());
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }

  private void compareWithUpstream(
      String model, ModelFamily family, List<Candidate> rows, JsonNode ref, Heads heads, ModelSpec spec) {
    JsonNode cols = ref.get("columns");
    int scoreCol = indexOf(cols, "score");
    List<float[]> expected = new ArrayList<>();
    for (JsonNode r : ref.get("rows")) {
      float[] e = new float[r.size()];
      for (int i = 0; i < e.length; i++) {
        e[i] = (float) r.get(i).asDouble();
      }
      expected.add(e);
    }
    switch (family.id()) {
      case "CENTERNET", "MULTI_POSE", "DDD" -> {
        // all K = 100 rows, score-0 fill included
        assertThat(rows).hasSize(expected.size());
        matchRows(family, rows, expected, scoreCol, cols);
      }
      case "CORNERNET" -> {
        // upstream keeps rejected pairs with score -1; KeyDet returns the valid ones
        List<float[]> valid = expected.stream().filter(e -> e[scoreCol] > -1).toList();
        assertThat(valid.size()).as("valid pairs within the reference's 100 rows").isLessThan(100);
        assertThat(rows).hasSize(valid.size());
        matchRows(family, rows, valid, scoreCol, cols);
      }
      case "CENTERNET_TRIPLETS" -> {
        // stage 1: CornerNet pairing with Triplets' K = 70 equals the upstream decoder's pairs
        List<float[]> valid = expected.stream().filter(e -> e[scoreCol] > -1).toList();
        ModelSpec corner = spec.toBuilder().setFamily(ModelFamily.CORNERNET).build();
        List<Candidate> pairs = Families.of(corner.family()).decoder(corner, DecodeOptions.defaults().withK(70)).decode(heads).get(0);
        assertThat(pairs).hasSize(valid.size());
        matchRows(ModelFamily.CORNERNET, pairs, valid, scoreCol, cols);
        // stage 2: a pair survives iff a top-K center of its class lies strictly inside its central region
        // (n = 3 when its area in input pixels is <= 22500, else 5); score (tl + br + ct) / 3 with the first
        // such center in top-K order
        List<float[]> kept = new ArrayList<>();
        for (float[] p : valid) {
          double x1 = p[0];
          double y1 = p[1];
          double x2 = p[2];
          double y2 = p[3];
          boolean small = (x2 - x1) * (y2 - y1) * 16 <= 22500;
          double n = small ? 3 : 5;
          double cx1 = ((n + 1) * x1 + (n - 1) * x2) / (2 * n);
          double cx2 = ((n - 1) * x1 + (n + 1) * x2) / (2 * n);
          double cy1 = ((n + 1) * y1 + (n - 1) * y2) / (2 * n);
          double cy2 = ((n - 1) * y1 + (n + 1) * y2) / (2 * n);
          for (JsonNode c : ref.get("centers")) {
            double x = c.get(0).asDouble();
            double y = c.get(1).asDouble();
            if ((int) c.get(2).asDouble() == (int) p[7] && x > cx1 && x < cx2 && y > cy1 && y < cy2) {
              float[] t = p.clone();
              t[scoreCol] = (float) ((p[5] + p[6] + c.get(3).asDouble()) / 3);
              kept.add(t);
              break;
            }
          }
        }
        assertThat(rows).as("triplets kept").hasSize(kept.size());
        tripletsWithAPlantedCenter(valid, heads, spec, cols);
        kept.sort((a, b) -> Float.compare(b[scoreCol], a[scoreCol]));
        for (int i = 0; i < kept.size(); i++) {
          Candidate c = rows.get(i);
          float[] e = kept.get(i);
          assertThat((double) c.score()).isCloseTo(e[scoreCol], org.assertj.core.data.Offset.offset(1e-5));
          assertThat(new double[] {c.x1(), c.y1(), c.x2(), c.y2()})
              .containsExactly(new double[] {e[0], e[1], e[2], e[3]}, org.assertj.core.data.Offset.offset(1e-4));
        }
      }
      case "GRIDNEIGHBOR" -> {
        // per point flag: the positive rows of the upstream gridneighbordet_decode (K = 100 per flag)
        assertThat(spec.gridPoints()).containsExactly(0, 4, 8);
        int flagCol = indexOf(cols, "flag");
        int compared = 0;
        for (int flag : new int[] {0, 4, 8}) {
          List<float[]> mine = expected.stream().filter(e -> e[flagCol] == flag).toList();
          List<Candidate> got = rows.stream().filter(c -> c.pointId() == flag && c.score() > 0).toList();
          assertThat(got).as("flag %d", flag).hasSize(mine.size());
          matchRows(family, got, mine, scoreCol, cols);
          compared += mine.size();
        }
        assertThat(compared).isEqualTo(expected.size()).isGreaterThan(100);
      }
      case "EXTREMENET" -> {
        // the tiny model's random maps give no valid group at the default thresholds (upstream's best score is
        // below 0, i.e. penalised): KeyDet returns none either
        assertThat(expected.get(0)[scoreCol]).isLessThanOrEqualTo(0f);
        assertThat(rows).isEmpty();
      }
      default -> throw new IllegalStateException(family.name());
    }
  }

  /**
   * The tiny model's random centers validate none of its pairs, so plant one: a strong center (logit 10) of the
   * best pair's class exactly at that box's center (offset set to land there). That pair must then come out with
   * score (tl + br + sigmoid(10)) / 3, and every kept row must be one of the upstream pairs.
   */
  private static void tripletsWithAPlantedCenter(List<float[]> pairs, Heads heads, ModelSpec spec, JsonNode cols) {
    float[] best = pairs.get(0);
    double cx = (best[0] + best[2]) / 2;
    double cy = (best[1] + best[3]) / 2;
    int ix = (int) Math.floor(cx);
    int iy = (int) Math.floor(cy);
    int cls = (int) best[7];
    INDArray ct = heads.require("ct_heat").dup();
    INDArray ctRegr = heads.require("ct_regr").dup();
    ct.putScalar(new long[] {0, cls, iy, ix}, 10f);
    ctRegr.putScalar(new long[] {0, 0, iy, ix}, (float) (cx - ix));
    ctRegr.putScalar(new long[] {0, 1, iy, ix}, (float) (cy - iy));
    Map<String, INDArray> planted = new LinkedHashMap<>();
    for (String name : heads.names()) {
      planted.put(name, heads.require(name));
    }
    planted.put("ct_heat", ct);
    planted.put("ct_regr", ctRegr);
    List<Candidate> out = Families.of(spec.family()).decoder(spec, DecodeOptions.defaults()).decode(Heads.nchw(planted)).get(0);
    assertThat(out).isNotEmpty();
    boolean found = false;
    for (Candidate c : out) {
      boolean isPair = pairs.stream().anyMatch(p -> p[7] == c.classId() && Math.abs(p[0] - c.x1()) < 1e-4
          && Math.abs(p[1] - c.y1()) < 1e-4 && Math.abs(p[2] - c.x2()) < 1e-4 && Math.abs(p[3] - c.y2()) < 1e-4);
      assertThat(isPair).as("kept row %s is an upstream pair", c).isTrue();
      if (Math.abs(c.x1() - best[0]) < 1e-4 && Math.abs(c.y1() - best[1]) < 1e-4 && c.classId() == cls) {
        found = true;
        double sig10 = 1 / (1 + Math.exp(-10));
        assertThat((double) c.score()).isCloseTo((best[5] + best[6] + sig10) / 3, org.assertj.core.data.Offset.offset(1e-5));
        assertThat((double) c.points()[0]).isCloseTo(cx, org.assertj.core.data.Offset.offset(1e-4));
        assertThat((double) c.points()[1]).isCloseTo(cy, org.assertj.core.data.Offset.offset(1e-4));
      }
    }
    assertThat(found).as("the pair with the planted center is kept").isTrue();
  }

  /** Every expected row matched by a distinct actual row: same class, score within 1e-6, values within 1e-4. */
  private static void matchRows(ModelFamily family, List<Candidate> rows, List<float[]> expected, int scoreCol,
      JsonNode cols) {
    int classCol = indexOf(cols, "class");
    boolean[] used = new boolean[rows.size()];
    List<float[]> actual = rows.stream().map(c -> row(family, c)).toList();
    // Score-0 rows are suppressed pixels filling K when there are fewer peaks: which ones fill has no defined
    // order in the original (torch.topk among ties), so only their number is compared.
    long zerosExpected = expected.stream().filter(e -> e[scoreCol] == 0f).count();
    long zerosActual = rows.stream().filter(c -> c.score() == 0f).count();
    assertThat(zerosActual).as("score-0 fill rows").isEqualTo(zerosExpected);
    for (float[] e : expected) {
      if (e[scoreCol] == 0f) {
        continue;
      }
      int match = -1;
      for (int j = 0; j < actual.size() && match < 0; j++) {
        float[] a = actual.get(j);
        if (used[j] || a[a.length - 1] != e[classCol] || Math.abs(a[indexInRow(family, "score")] - e[scoreCol]) > 1e-6) {
          continue;
        }
        boolean same = true;
        int[] map = columnMap(family, cols);
        for (int k = 0; k < map.length && same; k++) {
          if (map[k] >= 0) {
            double tol = 1e-4 * Math.max(1, Math.abs(e[map[k]]));
            same = Math.abs(a[k] - e[map[k]]) <= tol;
          }
        }
        if (same) {
          match = j;
        }
      }
      assertThat(match).as("%s row %s has a match", family, java.util.Arrays.toString(e)).isNotNegative();
      used[match] = true;
    }
  }

  private static int indexInRow(ModelFamily family, String name) {
    return family == ModelFamily.DDD ? 2 : 4;
  }

  /** For each column of a Java row, the reference column it equals (-1: not compared). */
  private static int[] columnMap(ModelFamily family, JsonNode cols) {
    List<String> names = new ArrayList<>();
    switch (family.id()) {
      case "DDD" -> {
        names.addAll(List.of("x", "y", "score"));
        for (int i = 0; i < 8; i++) {
          names.add("rot" + i);
        }
        names.addAll(List.of("depth", "dim0", "dim1", "dim2", "w", "h"));
      }
      case "MULTI_POSE" -> {
        names.addAll(List.of("x1", "y1", "x2", "y2", "score"));
        for (int j = 0; j < 17; j++) {
          names.add("k" + j + "_x");
          names.add("k" + j + "_y");
        }
      }
      default -> names.addAll(List.of("x1", "y1", "x2", "y2", "score"));
    }
    names.add("class");
    int[] map = new int[names.size()];
    for (int i = 0; i < map.length; i++) {
      map[i] = indexOf(cols, names.get(i));
    }
    return map;
  }

  private static int indexOf(JsonNode cols, String name) {
    for (int i = 0; i < cols.size(); i++) {
      if (cols.get(i).asText().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a.length).isEqualTo(b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
