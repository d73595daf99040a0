package io.github.keydet.core.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.family.Families;
import java.io.File;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link GridNeighborTargetEncoder} against the upstream {@code GridNeighborDetDataset.__getitem__}
 * (Wastoon/CenterNet-Multi-Func-Det, val split) run by {@code tools/testdata/enhanced_centernet_targets.py} on
 * COCO-style annotations: flags 0,4,8, all nine, unsorted 6,2 and 4 alone; C = 1 to 4; boxes clipped at the borders,
 * an empty box, overlapping boxes of one class; 512 and 256 inputs.
 */
class GridNeighborTargetEncoderTest {

  @Test
  void equalsTheUpstreamDatasetSample() throws Exception {
    File dir = TestData.file("enhanced");
    JsonNode cases = new ObjectMapper().readTree(new File(dir, "cases.json")).get("cases");
    int compared = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = cases.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode c = e.getValue();
      if (!c.has("point_flags")) {
        continue; // a landmark case
      }
      int width = c.get("width").asInt();
      int height = c.get("height").asInt();
      int input = c.get("input_size").asInt();
      int[] flags = new int[c.get("point_flags").size()];
      for (int i = 0; i < flags.length; i++) {
        flags[i] = c.get("point_flags").get(i).asInt();
      }
      List<ObjectAnnotation> objects = new ArrayList<>();
      for (JsonNode o : c.get("objects")) {
        JsonNode b = o.get("bbox");
        double x = b.get(0).asDouble();
        double y = b.get(1).asDouble();
        objects.add(ObjectAnnotation.box((float) x, (float) y, (float) (x + b.get(2).asDouble()),
            (float) (y + b.get(3).asDouble()), o.get("class").asInt()));
      }
      TargetGeometry g = TargetGeometry.builder(input, input)
          .optCenterScale(width / 2.0, height / 2.0, Math.max(width, height), 0).build();
      GridNeighborTargetEncoder enc = GridNeighborTargetEncoder.builder(g, c.get("classes").asInt(), flags).build();
      Map<String, INDArray> expected = Nd4j.createFromNpzFile(new File(dir, e.getKey() + ".npz"));
      try (TargetSet t = enc.encode(objects)) {
        for (String name : List.of("hm", "wh", "reg", "ind", "reg_mask")) {
          TestData.assertClose(e.getKey() + "/" + name, t.get(name), expected.get(name), 1e-6);
        }
      }
      compared++;
    }
    assertThat(compared).isEqualTo(4);
  }

  @Test
  void badFlagsAndTheFamilyEncoder() {
    TargetGeometry g = TargetGeometry.builder(64, 64).build();
    assertThatThrownBy(() -> GridNeighborTargetEncoder.builder(g, 1, 0, 9)).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("9");
    assertThatThrownBy(() -> GridNeighborTargetEncoder.builder(g, 1, 4, 4)).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("4 is repeated");
    assertThat(GridNeighborTargetEncoder.builder(g, 1, 8, 0, 4).build().flags()).containsExactly(0, 4, 8);
    TargetEncoder fam = Families.named("gridneighbor").encoder(g, 2, io.github.keydet.core.encode.TargetOptions.defaults());
    assertThat(fam).isInstanceOf(GridNeighborTargetEncoder.class);
    assertThat(fam.specs().get(0).shape()).containsExactly(6, 16, 16);
  }
}
