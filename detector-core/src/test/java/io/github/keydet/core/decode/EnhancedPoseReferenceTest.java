package io.github.keydet.core.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.core.decode.MultiPoseDecoder.JointSnapping;
import io.github.keydet.core.heads.Layout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link MultiPoseDecoder} in the Enhanced-CenterNet modes against the upstream decoders run by {@code
 * tools/testdata/enhanced_centernet_refs.py}: {@code landmark_decode} (J = 68, 19, 5; C = 1, 3; {@code reg_only}
 * both ways on the same heads, {@link JointSnapping#GATED} and {@link JointSnapping#NONE}) and {@code
 * deepfashion2_pose_decode} (J = 294 with C = 13, J = 7 with C = 2; {@link JointSnapping#ALWAYS}); with and
 * without {@code reg}, {@code hm_hp}, {@code hp_offset}; K = 1 to 12, a 3x4 map, planted border peaks, a plateau
 * and equal scores in two classes. Every row with a positive score (zero-score rows are suppressed cells whose order
 * the upstream leaves open) must be matched by a distinct candidate with the same score and class, its box within
 * 1e-5 and each of its J points within 1e-4; both layouts.
 */
class EnhancedPoseReferenceTest {

  @Test
  void landmarkDecodeBothWays() {
    int rows = 0;
    for (Map.Entry<String, JsonNode> e : EnhancedReference.cases("landmark").entrySet()) {
      Map<String, INDArray> arrays = EnhancedReference.arrays(e.getKey());
      rows += compare(e.getKey(), e.getValue(), arrays, arrays.get("dets"), JointSnapping.GATED);
      rows += compare(e.getKey() + " reg_only", e.getValue(), arrays, arrays.get("dets_reg_only"), JointSnapping.NONE);
    }
    assertThat(rows).isGreaterThan(50);
  }

  @Test
  void deepFashion2DecodeSnapsEveryJoint() {
    int rows = 0;
    for (Map.Entry<String, JsonNode> e : EnhancedReference.cases("deepfashion2").entrySet()) {
      Map<String, INDArray> arrays = EnhancedReference.arrays(e.getKey());
      rows += compare(e.getKey(), e.getValue(), arrays, arrays.get("dets"), JointSnapping.ALWAYS);
    }
    assertThat(rows).isGreaterThan(20);
  }

  private static int compare(
      String name, JsonNode meta, Map<String, INDArray> arrays, INDArray dets, JointSnapping snapping) {
    int k = meta.get("K").asInt();
    int joints = meta.get("joints").asInt();
    List<float[]> expected = new ArrayList<>();
    for (int r = 0; r < k; r++) {
      float[] row = EnhancedReference.row(dets, r);
      assertThat(row).hasSize(6 + 2 * joints);
      if (row[4] > 0) {
        expected.add(row);
      }
    }
    int compared = 0;
    for (Layout layout : Layout.values()) {
      MultiPoseDecoder decoder = new MultiPoseDecoder(
          MultiPoseDecoder.Config.defaults().withK(k).withLayout(layout).withSnapping(snapping));
      List<Candidate> got = decoder.decode(EnhancedReference.heads(arrays, layout)).get(0).stream()
          .filter(c -> c.score() > 0).toList();
      String what = name + " " + layout;
      assertThat(got).as(what).hasSize(expected.size());
      boolean[] used = new boolean[got.size()];
      for (int i = 0; i < expected.size(); i++) {
        float[] e = expected.get(i);
        assertThat(got.get(i).score()).as(what + " score of row " + i).isEqualTo(e[4]);
        int match = -1;
        for (int j = 0; j < got.size() && match < 0; j++) {
          Candidate c = got.get(j);
          if (!used[j] && c.score() == e[4] && c.classId() == (int) e[5 + 2 * joints]
              && Math.abs(c.x1() - e[0]) <= 1e-5 && Math.abs(c.y1() - e[1]) <= 1e-5
              && Math.abs(c.x2() - e[2]) <= 1e-5 && Math.abs(c.y2() - e[3]) <= 1e-5) {
            match = j;
          }
        }
        if (match < 0) {
          fail("%s: row %d %s has no candidate with its score, class and box", what, i,
              java.util.Arrays.toString(java.util.Arrays.copyOf(e, 6)));
        }
        used[match] = true;
        float[] pts = got.get(match).points();
        assertThat(pts).as(what).hasSize(2 * joints);
        for (int q = 0; q < 2 * joints; q++) {
          if (Math.abs(pts[q] - e[5 + q]) > 1e-4) {
            fail("%s: row %d joint %d %s: expected %s, got %s", what, i, q / 2, q % 2 == 0 ? "x" : "y", e[5 + q],
                pts[q]);
          }
        }
        compared++;
      }
    }
    return compared;
  }
}
