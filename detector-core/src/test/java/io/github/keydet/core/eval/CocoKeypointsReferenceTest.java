package io.github.keydet.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoJson;
import io.github.keydet.core.coco.CocoResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keypoint evaluation against pycocotools' own numbers: {@code tools/testdata/coco_keypoints_reference.py} wrote
 * the scenarios under {@code eval/keypoints/} (crowd regions, unlabelled people, ties, images without ground
 * truth, unlabelled keypoints, area boundaries and maxDets 20, keypoint-only results, two categories, three
 * fixed-seed random sets; see the script), ran {@code COCO.loadRes} and {@code COCOeval(..., 'keypoints')} on
 * them and stored the 10 {@code stats} and the printed summary in {@code stats.json}. The files are read with
 * KeyDet's own reader, as {@code keydet eval --iou-type keypoints} does.
 */
class CocoKeypointsReferenceTest {
  private static final double TOLERANCE = 1e-6;

  static Stream<String> scenarios() throws Exception {
    List<String> names = new ArrayList<>();
    reference().fieldNames().forEachRemaining(names::add);
    return names.stream();
  }

  private static JsonNode reference() throws Exception {
    return new ObjectMapper().readTree(resource("stats.json").toFile());
  }

  private static Path resource(String name) throws Exception {
    return Path.of(CocoKeypointsReferenceTest.class.getResource("/eval/keypoints/" + name).toURI());
  }

  @Test
  void everyScenarioOfTheScriptIsHere() throws Exception {
    assertThat(scenarios().toList()).containsExactly("basic", "crowds", "unlabelled", "ties", "no_gt_images",
        "missing_kps", "areas", "kps_only", "two_categories", "random_1", "random_2", "random_3");
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void statsAndSummaryEqualPycocotools(String scenario) throws Exception {
    JsonNode ref = reference().get(scenario);
    CocoDataset gt = CocoJson.readAnnotations(resource(scenario + "_gt.json"));
    List<CocoResult> results = CocoJson.readResults(resource(scenario + "_res.json"));

    CocoEvalResult r = CocoEvaluator.evaluate(gt, results, IouType.KEYPOINTS);

    double[] actual = r.keypointStats().toArray();
    assertThat(ref.get("stats")).hasSize(10);
    double maxDiff = 0;
    for (int i = 0; i < 10; i++) {
      double expected = ref.get("stats").get(i).asDouble();
      assertThat(actual[i])
          .as("%s stats[%d]: KeyDet %s, pycocotools %s", scenario, i, actual[i], expected)
          .isCloseTo(expected, within(TOLERANCE));
      maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected));
    }
    List<String> lines = new ArrayList<>();
    ref.get("summary").forEach(l -> lines.add(l.asText()));
    assertThat(r.summary().lines().toList()).as(scenario + " summary").containsExactlyElementsOf(lines);
    System.out.printf("keypoints %s: 10 numbers, max |KeyDet - pycocotools| %.3g%n", scenario, maxDiff);
  }
}
