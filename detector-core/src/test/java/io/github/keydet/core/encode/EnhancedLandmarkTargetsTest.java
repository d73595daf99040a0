package io.github.keydet.core.encode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.core.family.Families;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The LANDMARK and DEEPFASHION2 families' target encoders against the upstream samples (Wastoon/CenterNet-Multi-Func-Det
 * {@code AAAI_landmark.py} and {@code cloth_landmark.py}, val split) run by {@code
 * tools/testdata/enhanced_centernet_targets.py}: three 300W faces (hidden landmarks, landmarks outside the image, a
 * face with none visible) and three DeepFashion2 garments of categories 0, 7, 12 with only their category's
 * landmarks visible. Every array within 1e-5 (landmark heat maps compared as their non-zero values).
 */
class EnhancedLandmarkTargetsTest {

  @Test
  void landmarkAndClothTargetsEqualTheUpstreamSamples() throws Exception {
    File dir = TestData.file("enhanced");
    JsonNode cases = new ObjectMapper().readTree(new File(dir, "cases.json")).get("cases");
    for (String name : List.of("landmark_300w", "cloth_deepfashion2")) {
      JsonNode c = cases.get(name);
      int width = c.get("width").asInt();
      int height = c.get("height").asInt();
      int input = c.get("input_size").asInt();
      boolean xywh = c.get("box_format").asText().equals("xywh");
      List<ObjectAnnotation> objects = new ArrayList<>();
      for (JsonNode o : c.get("objects")) {
        JsonNode b = o.get("bbox");
        double x1 = b.get(0).asDouble();
        double y1 = b.get(1).asDouble();
        double x2 = xywh ? x1 + b.get(2).asDouble() : b.get(2).asDouble();
        double y2 = xywh ? y1 + b.get(3).asDouble() : b.get(3).asDouble();
        float[] kp = new float[o.get("keypoints").size()];
        for (int i = 0; i < kp.length; i++) {
          kp[i] = (float) o.get("keypoints").get(i).asDouble();
        }
        objects.add(ObjectAnnotation.box((float) x1, (float) y1, (float) x2, (float) y2, o.get("class").asInt())
            .withKeypoints(kp));
      }
      TargetGeometry g = TargetGeometry.builder(input, input)
          .optCenterScale(width / 2.0, height / 2.0, Math.max(width, height), 0).build();
      String family = name.startsWith("landmark") ? "landmark" : "deepfashion2";
      TargetEncoder enc = Families.named(family).encoder(g, c.get("classes").asInt(), TargetOptions.defaults());
      Map<String, INDArray> expected = Nd4j.createFromNpzFile(new File(dir, name + ".npz"));
      try (TargetSet t = enc.encode(objects)) {
        for (String array : List.of("hm", "wh", "reg", "ind", "reg_mask", "hps", "hps_mask", "hp_offset", "hp_ind",
            "hp_mask")) {
          TestData.assertClose(name + "/" + array, t.get(array), expected.get(array), 1e-5);
        }
        double[] heat = TestData.values(t.get("hm_hp"));
        long[] shape = expected.get("hm_hp_shape").toLongVector();
        assertThat(t.get("hm_hp").shape()).as(name + " hm_hp shape").containsExactly(shape);
        long[] index = expected.get("hm_hp_index").castTo(DataType.LONG).toLongVector();
        float[] value = expected.get("hm_hp_value").toFloatVector();
        int nonZero = 0;
        for (double v : heat) {
          nonZero += v != 0 ? 1 : 0;
        }
        assertThat(nonZero).as(name + " non-zero hm_hp values").isEqualTo(index.length);
        for (int i = 0; i < index.length; i++) {
          assertThat(heat[(int) index[i]]).as(name + " hm_hp[" + index[i] + "]").isCloseTo(value[i],
              org.assertj.core.api.Assertions.within(1e-5));
        }
      }
    }
  }
}
