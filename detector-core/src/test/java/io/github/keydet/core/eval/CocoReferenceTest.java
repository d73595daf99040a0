package io.github.keydet.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoJson;
import io.github.keydet.core.coco.CocoResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The 12 summary numbers of bbox and segm evaluation against pycocotools' own: {@code ref_instances.json} (50
 * images, 5 categories with non-contiguous ids, crowd regions, images without objects, octagon polygons) and
 * {@code ref_results.json} (boxes with octagon masks, equal scores, wrong classes) were written by
 * {@code tools/testdata/coco_eval_reference.py}, which also ran {@code COCO.loadRes} and {@code COCOeval} on them
 * and stored {@code COCOeval.stats} in {@code ref_stats.json}. Both files are read with KeyDet's own reader, as
 * {@code keydet eval --results} does.
 */
class CocoReferenceTest {
  /**
   * The 24 numbers agree bit for bit today; this leaves room only for last-bit noise (e.g. another summation
   * order), far below the 3rd decimal anyone reads.
   */
  private static final double TOLERANCE = 1e-12;

  private static CocoDataset groundTruth;
  private static List<CocoResult> results;
  private static JsonNode reference;

  @BeforeAll
  static void load() throws Exception {
    groundTruth = CocoJson.readAnnotations(resource("ref_instances.json"));
    results = CocoJson.readResults(resource("ref_results.json"));
    reference = new ObjectMapper().readTree(resource("ref_stats.json").toFile());
  }

  private static Path resource(String name) throws Exception {
    return Path.of(CocoReferenceTest.class.getResource("/eval/" + name).toURI());
  }

  @ParameterizedTest
  @EnumSource(value = IouType.class, names = {"BBOX", "SEGM"})
  void statsEqualPycocotools(IouType type) {
    JsonNode ref = reference.get(type == IouType.BBOX ? "bbox" : "segm");
    assertThat(ref).as("reference numbers for %s", type).hasSize(12);
    double[] expected = new double[12];
    for (int i = 0; i < 12; i++) {
      expected[i] = ref.get(i).asDouble();
    }

    double[] actual = CocoEvaluator.evaluate(groundTruth, results, type).stats().toArray();

    for (int i = 0; i < 12; i++) {
      assertThat(actual[i])
          .as("%s stats[%d]: KeyDet %s, pycocotools %s", type, i, actual[i], expected[i])
          .isCloseTo(expected[i], within(TOLERANCE));
    }
  }
}
