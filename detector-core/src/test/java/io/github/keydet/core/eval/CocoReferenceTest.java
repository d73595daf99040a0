package io.github.keydet.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compares with pycocotools' numbers written by {@code tools/testdata/coco_eval_reference.py}; skipped until
 * those files exist (pycocotools is not packaged for Debian bookworm).
 */
class CocoReferenceTest {

  @ParameterizedTest
  @EnumSource(IouType.class)
  void matchesPycocotools(IouType type) throws Exception {
    InputStream stats = getClass().getResourceAsStream("/eval/ref_stats.json");
    assumeTrue(stats != null, "reference files not generated");
    JsonNode ref = new ObjectMapper().readTree(stats).get(type.name().toLowerCase());
    CocoDataset gt = CocoJson.readAnnotations(getClass().getResourceAsStream("/eval/ref_instances.json"), "gt");
    List<CocoResult> dt = CocoJson.readResults(getClass().getResourceAsStream("/eval/ref_results.json"), "dt");
    double[] got = CocoEvaluator.evaluate(gt, dt, type).stats().toArray();
    for (int i = 0; i < 12; i++) {
      assertThat(got[i]).as("stat %d", i).isCloseTo(ref.get(i).asDouble(), within(1e-12));
    }
  }
}
