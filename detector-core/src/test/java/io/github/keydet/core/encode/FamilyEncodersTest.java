package io.github.keydet.core.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.family.Families;
import java.util.List;
import org.junit.jupiter.api.Test;

class FamilyEncodersTest {
  static final double TOL = 2e-7;

  static TargetGeometry cornerGeometry() {
    return TargetGeometry.builder(127, 127).optOutputSize(32, 32).build();
  }

  @Test
  void cornerNetMatchesReference() {
    CornerTargetEncoder enc = CornerTargetEncoder.builder(cornerGeometry(), 2).optMaxObjects(5).build();
    try (TargetSet t = enc.encode(TestData.objects("corner_objects"))) {
      TestData.assertMatches("cornernet", t, List.of("tl_heatmaps", "br_heatmaps", "tag_masks", "tl_regrs",
          "br_regrs", "tl_tags", "br_tags"), TOL);
      // the zero-width object is dropped without a gap: 5 kept objects fill all slots
      assertThat(TestData.values(t.get("tag_masks"))).containsExactly(1, 1, 1, 1, 1);
    }
  }

  @Test
  void tripletsMatchesReference() {
    CornerTargetEncoder enc = CornerTargetEncoder.builder(cornerGeometry(), 2).optMaxObjects(5).optCenters(true)
        .build();
    try (TargetSet t = enc.encode(TestData.objects("corner_objects"))) {
      TestData.assertMatches("triplets", t, List.of("tl_heatmaps", "br_heatmaps", "ct_heatmaps", "tag_masks",
          "tl_regrs", "br_regrs", "ct_regrs", "tl_tags", "br_tags", "ct_tags"), TOL);
    }
  }

  @Test
  void extremePointsFromPolygonsAndMask() {
    JsonNode polys = TestData.cases().get("extreme_polygons");
    JsonNode exp = TestData.cases().get("extreme_points");
    for (int i = 0; i < polys.size(); i++) {
      double[] xy = new double[polys.get(i).size()];
      for (int k = 0; k < xy.length; k++) {
        xy[k] = polys.get(i).get(k).asDouble();
      }
      assertThat(ExtremePoints.fromPolygon(xy)).as("polygon %d", i).isEqualTo(TestData.floats(exp.get(i)));
    }
    JsonNode m = TestData.cases().get("extreme_mask");
    byte[] mask = new byte[m.get("mask").size()];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = (byte) m.get("mask").get(i).asInt();
    }
    assertThat(ExtremePoints.fromMask(mask, m.get("h").asInt(), m.get("w").asInt()))
        .isEqualTo(TestData.floats(m.get("points")));
    assertThatThrownBy(() -> ExtremePoints.fromMask(new byte[4], 2, 2)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no foreground");
    assertThatThrownBy(() -> ExtremePoints.fromPolygon(new double[] {1, 2, 3}))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("3");
  }

  @Test
  void extremeNetMatchesReference() {
    ExtremeTargetEncoder enc = ExtremeTargetEncoder.builder(cornerGeometry(), 2).optMaxObjects(5).build();
    try (TargetSet t = enc.encode(TestData.objects("extreme_objects"))) {
      TestData.assertMatches("extremenet", t, List.of("t_heatmaps", "l_heatmaps", "b_heatmaps", "r_heatmaps",
          "ct_heatmaps", "tag_masks", "t_regrs", "l_regrs", "b_regrs", "r_regrs", "t_tags", "l_tags", "b_tags",
          "r_tags", "ct_tags"), TOL);
    }
    assertThatThrownBy(() -> enc.encode(List.of(ObjectAnnotation.box(1, 1, 5, 5, 0))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("extreme points");
  }

  @Test
  void multiPoseMatchesReference() {
    TargetGeometry g = TargetGeometry.builder(128, 128).optCenterScale(80, 60, 160, 0).build();
    JsonNode e = TestData.cases().get("pose_transform");
    assertThat(g.imageToOutput().m00()).isCloseTo(e.get(0).asDouble(), within(1e-12));
    assertThat(g.imageToOutput().m12()).isCloseTo(e.get(5).asDouble(), within(1e-12));
    MultiPoseTargetEncoder enc = MultiPoseTargetEncoder.builder(g).optMaxObjects(4).build();
    try (TargetSet t = enc.encode(TestData.objects("pose_objects"))) {
      TestData.assertMatches("multi_pose", t, List.of("hm", "wh", "reg", "ind", "reg_mask", "hps", "hps_mask",
          "hm_hp", "hp_offset", "hp_ind", "hp_mask"), TOL);
      assertThat(t.get("reg_mask").getInt(2)).isZero(); // no visible joint
    }
    assertThatThrownBy(() -> enc.encode(List.of(ObjectAnnotation.box(1, 1, 5, 5, 0))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("17 keypoints");
  }

  @Test
  void dddMatchesReference() {
    TargetGeometry g = TargetGeometry.builder(320, 96).optCenterScale(160, 48, 320, 0).build();
    DddTargetEncoder enc = DddTargetEncoder.builder(g, 3).optMaxObjects(5).build();
    try (TargetSet t = enc.encode(TestData.objects("ddd_objects"))) {
      TestData.assertMatches("ddd", t, List.of("hm", "dep", "dim", "ind", "rotbin", "rotres", "reg_mask",
          "rot_mask", "wh", "reg"), TOL);
    }
  }

  @Test
  void factoryCoversTheFamilies() {
    TargetGeometry g = TargetGeometry.builder(64, 64).build();
    assertThat(Families.of(ModelFamily.CENTERNET).encoder(g, 2, io.github.keydet.core.encode.TargetOptions.defaults())).isInstanceOf(CtdetTargetEncoder.class);
    assertThat(Families.of(ModelFamily.CENTERNET_TRIPLETS).encoder(g, 2, io.github.keydet.core.encode.TargetOptions.defaults()).specs().stream()
        .map(TargetSpec::name)).contains("ct_heatmaps");
    assertThat(Families.of(ModelFamily.of("GRIDNEIGHBOR")).encoder(g, 2, io.github.keydet.core.encode.TargetOptions.defaults())).isInstanceOf(GridNeighborTargetEncoder.class);
    assertThatThrownBy(() -> Families.of(ModelFamily.TTFNET_LTRB).encoder(g, 2, io.github.keydet.core.encode.TargetOptions.defaults()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("TTFNET_LTRB");
  }
}
