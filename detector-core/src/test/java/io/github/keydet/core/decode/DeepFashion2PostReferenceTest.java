package io.github.keydet.core.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.api.Detection;
import io.github.keydet.api.Keypoint;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.MultiPoseDecoder.JointSnapping;
import io.github.keydet.core.family.Families;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.image.ImageTransform;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.core.post.Postprocessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DEEPFASHION2 family's post-processing against the upstream's, run by {@code
 * tools/testdata/enhanced_centernet_refs.py} on the 13-class, 294-landmark cases (K = 6 to 40, every category
 * present): {@code clothlandmark_post_process} maps the rows to the image and groups them by class, and its
 * debugger's {@code add_deepfashion2_hp} keeps each category's own landmark slice ({@code dets_own_class<j>}, the
 * slice the script checked that function draws). The family's {@link Postprocessor} on the decoded candidates must
 * give, per class, one detection per positive-score upstream row with its score, its box within 5e-3 image pixels
 * and exactly the category's landmarks, each within 5e-3 pixels (relative 1e-5 for the invalid heat-map landmarks at
 * -10000 cells); the category sizes must be those of the upstream {@code landmark_split}.
 */
class DeepFashion2PostReferenceTest {
  private static final PostprocessConfig KEEP_ALL = new PostprocessConfig(0f, 1f, false, 1000, false);

  @Test
  void everyCategoryKeepsItsOwnLandmarksAsUpstreamShowsThem() {
    int compared = 0;
    boolean[] seen = new boolean[13];
    Postprocessor post = Families.of(ModelFamily.of("DEEPFASHION2")).postprocessor(KEEP_ALL, null);
    for (Map.Entry<String, JsonNode> e : EnhancedReference.cases("deepfashion2").entrySet()) {
      JsonNode meta = e.getValue();
      if (!meta.has("post")) {
        continue; // the 7-landmark cases: no categories
      }
      JsonNode p = meta.get("post");
      Map<String, INDArray> arrays = EnhancedReference.arrays(e.getKey());
      int w = p.get("output_width").asInt();
      int h = p.get("output_height").asInt();
      double s = p.get("scale").asDouble();
      double cx = p.get("center").get(0).asDouble();
      double cy = p.get("center").get(1).asDouble();
      // the upstream meta of a fixed-size input: input = 4 x output map, scale = input width / s, centers aligned
      double k = 4.0 * w / s;
      ImageTransform transform = new ImageTransform(k, k, 2.0 * w - k * cx, 2.0 * h - k * cy,
          p.get("image_width").asInt(), p.get("image_height").asInt());
      MultiPoseDecoder decoder = new MultiPoseDecoder(MultiPoseDecoder.Config.defaults()
          .withK(meta.get("K").asInt()).withLayout(Layout.NCHW).withSnapping(JointSnapping.ALWAYS));
      List<Candidate> candidates = decoder.decode(EnhancedReference.heads(arrays, Layout.NCHW)).get(0);
      List<Detection> detections = post.process(candidates, 4, transform, id -> "c" + id);
      JsonNode split = p.get("landmark_split");
      for (int j = 1; j <= 13; j++) {
        int own = split.get(j).asInt();
        INDArray rows = arrays.get("dets_own_class" + j);
        List<float[]> expected = new ArrayList<>();
        for (int r = 0; r < rows.rows(); r++) {
          float[] row = rows.getRow(r).toFloatVector();
          assertThat(row).hasSize(5 + 2 * own);
          if (row[4] > 0) {
            expected.add(row);
          }
        }
        int cls = j - 1;
        List<Detection> got = detections.stream().filter(d -> d.classId() == cls).toList();
        String what = e.getKey() + " class " + j;
        assertThat(got).as(what).hasSize(expected.size());
        boolean[] used = new boolean[got.size()];
        for (float[] row : expected) {
          int match = -1;
          for (int g = 0; g < got.size() && match < 0; g++) {
            Detection d = got.get(g);
            if (!used[g] && d.score() == row[4] && close(d.box().x1(), row[0]) && close(d.box().y1(), row[1])
                && close(d.box().x2(), row[2]) && close(d.box().y2(), row[3])) {
              match = g;
            }
          }
          if (match < 0) {
            fail("%s: upstream row %s has no detection with its score and box", what,
                Arrays.toString(Arrays.copyOf(row, 5)));
          }
          used[match] = true;
          List<Keypoint> kp = got.get(match).keypoints();
          assertThat(kp).as(what + " landmarks").hasSize(own);
          for (int q = 0; q < own; q++) {
            if (!close(kp.get(q).x(), row[5 + 2 * q]) || !close(kp.get(q).y(), row[6 + 2 * q])) {
              fail("%s: landmark %d of the category: expected (%s, %s), got (%s, %s)", what, q, row[5 + 2 * q],
                  row[6 + 2 * q], kp.get(q).x(), kp.get(q).y());
            }
          }
          seen[cls] = true;
          compared++;
        }
      }
    }
    assertThat(seen).as("categories compared").doesNotContain(false);
    assertThat(compared).isGreaterThan(40);
  }

  private static boolean close(float got, float expected) {
    return Math.abs(got - expected) <= Math.max(5e-3, 1e-5 * Math.abs(expected));
  }
}
