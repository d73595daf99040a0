package io.github.keydet.core.encode;

import io.github.keydet.core.image.AffineTransform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CtdetTargetEncoderTest {
  static final double TOL = 2e-7;

  static TargetGeometry geometry() {
    // image 200x150, CenterNet crop c = (100, 75), s = 200 onto 128x128, stride 4
    return TargetGeometry.builder(128, 128).optStride(4).optCenterScale(100, 75, 200, 0).build();
  }

  @Test
  void transformMatchesGetAffineTransform() {
    AffineTransform t = geometry().imageToOutput();
    JsonNode e = TestData.cases().get("ctdet_transform");
    double[] m = {t.m00(), t.m01(), t.m02(), t.m10(), t.m11(), t.m12()};
    for (int i = 0; i < 6; i++) {
      assertThat(m[i]).isCloseTo(e.get(i).asDouble(), within(1e-12));
    }
  }

  @Test
  void matchesReferenceWithBordersClippingZeroSizeOverlapAndTooManyObjects() {
    CtdetTargetEncoder enc = CtdetTargetEncoder.builder(geometry(), 3).optMaxObjects(6)
        .optCategorySpecificWh(true).optDenseWh(true).build();
    try (TargetSet t = enc.encode(TestData.objects("ctdet_objects"))) {
      TestData.assertMatches("ctdet", t, List.of("hm", "wh", "reg", "ind", "reg_mask", "cat_spec_wh",
          "cat_spec_mask", "dense_wh", "dense_wh_mask"), TOL);
      // slot 3 (clipped to nothing) and slot 4 (zero width) stay empty, object 6 is beyond M = 6
      assertThat(TestData.values(t.get("reg_mask"))).containsExactly(1, 1, 1, 0, 0, 1);
      assertThat(t.get("ind").getLong(3)).isZero();
      assertThat(t.get("wh").getFloat(4, 0)).isZero();
      assertThat(t.get("hm").dataType()).isEqualTo(DataType.FLOAT);
      assertThat(t.get("ind").dataType()).isEqualTo(DataType.LONG);
      assertThat(t.get("reg_mask").dataType()).isEqualTo(DataType.UINT8);
    }
  }

  @Test
  void indAndRegEncodeTheCenterByHand() {
    // identity geometry: input 64x64, stride 4 -> boxes scaled by 1/4
    TargetGeometry g = TargetGeometry.builder(64, 64).build();
    CtdetTargetEncoder enc = CtdetTargetEncoder.builder(g, 2).optMaxObjects(2).build();
    try (TargetSet t = enc.encode(List.of(ObjectAnnotation.box(10, 20, 30, 50, 1)))) {
      // output box (2.5, 5, 7.5, 12.5): w 5, h 7.5, center (5, 8.75) -> cell (5, 8), ind 8*16+5, reg (0, 0.75)
      assertThat(t.get("ind").getLong(0)).isEqualTo(8 * 16 + 5);
      assertThat(t.get("reg").getFloat(0, 0)).isEqualTo(0f);
      assertThat(t.get("reg").getFloat(0, 1)).isEqualTo(0.75f);
      assertThat(t.get("wh").getFloat(0, 0)).isEqualTo(5f);
      assertThat(t.get("wh").getFloat(0, 1)).isEqualTo(7.5f);
      assertThat(t.get("hm").getFloat(1, 8, 5)).isEqualTo(1f);
      assertThat(t.get("hm").getFloat(0, 8, 5)).isEqualTo(0f);
      // radius: PLUS_ROOT_OVER_TWO of (ceil 8, ceil 5) -> int
      int r = RadiusRule.PLUS_ROOT_OVER_TWO.intRadius(8, 5, 0.7);
      assertThat(t.get("hm").getFloat(1, 8, 5 + r)).isGreaterThan(0f);
      assertThat(t.get("hm").getFloat(1, 8, 5 + r + 1)).isEqualTo(0f);
    }
  }

  @Test
  void otherRadiusRuleAndMsraMatchReference() {
    CtdetTargetEncoder small = CtdetTargetEncoder.builder(geometry(), 3).optMaxObjects(6)
        .optRadiusRule(RadiusRule.SMALLEST_ROOT).build();
    try (TargetSet t = small.encode(TestData.objects("ctdet_objects"))) {
      TestData.assertClose("smallest hm", t.get("hm"), TestData.npy("ctdet_smallest", "hm"), TOL);
    }
    CtdetTargetEncoder msra = CtdetTargetEncoder.builder(geometry(), 3).optMaxObjects(6)
        .optHeatmapStyle(HeatmapStyle.MSRA, 2).build();
    try (TargetSet t = msra.encode(TestData.objects("ctdet_objects"))) {
      TestData.assertClose("msra hm", t.get("hm"), TestData.npy("ctdet_msra", "hm"), 2e-7);
    }
  }

  @Test
  void noObjectsGivesZerosAndPreallocatedArraysAreCleared() {
    CtdetTargetEncoder enc = CtdetTargetEncoder.builder(geometry(), 3).optMaxObjects(6).build();
    try (TargetSet t = enc.encode(TestData.objects("ctdet_objects"))) {
      assertThat(t.get("hm").sumNumber().doubleValue()).isGreaterThan(0);
      enc.encodeInto(List.of(), t);
      for (String n : t.names()) {
        assertThat(t.get(n).castTo(DataType.DOUBLE).sumNumber().doubleValue()).as(n).isZero();
      }
    }
  }

  @Test
  void badInputIsRejectedWithNamedValues() {
    CtdetTargetEncoder enc = CtdetTargetEncoder.builder(geometry(), 3).build();
    assertThatThrownBy(() -> enc.encode(List.of(ObjectAnnotation.box(0, 0, 10, 10, 3))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("class id 3").hasMessageContaining("[0, 3)");
    assertThatThrownBy(() -> ObjectAnnotation.box(Float.NaN, 0, 10, 10, 0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> ObjectAnnotation.box(10, 0, 5, 10, 0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("negative size").hasMessageContaining("-5");
    assertThatThrownBy(() -> ObjectAnnotation.cocoBox(1, 2, -3, 4, 0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("-3");
    assertThatThrownBy(() -> ObjectAnnotation.box(0, 0, 1, 1, -1))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("-1");
    try (TargetSet t = enc.allocate()) {
      java.util.Map<String, INDArray> m = new java.util.LinkedHashMap<>(t.asMap());
      m.put("hm", Nd4j.zeros(DataType.FLOAT, 3, 32, 31));
      TargetSet wrong = new TargetSet(m);
      assertThatThrownBy(() -> enc.encodeInto(List.of(), wrong))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("'hm' has shape [3, 32, 31]")
          .hasMessageContaining("[3, 32, 32]");
      m.put("hm", Nd4j.zeros(DataType.DOUBLE, 3, 32, 32));
      TargetSet wrongType = new TargetSet(m);
      assertThatThrownBy(() -> enc.encodeInto(List.of(), wrongType))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("DOUBLE");
      assertThatThrownBy(() -> t.get("nope")).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("hm");
    }
  }

  @Test
  void onlyTheFirstMObjectsCount() {
    TargetGeometry g = TargetGeometry.builder(64, 64).build();
    CtdetTargetEncoder enc = CtdetTargetEncoder.builder(g, 1).optMaxObjects(3).build();
    List<ObjectAnnotation> objs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      objs.add(ObjectAnnotation.box(4 * i, 4 * i, 4 * i + 8, 4 * i + 8, 0));
    }
    try (TargetSet t = enc.encode(objs)) {
      assertThat(TestData.values(t.get("reg_mask"))).containsExactly(1, 1, 1);
      assertThat(t.get("hm").getFloat(0, 4, 4)).isLessThan(1f); // object 3's center is not a peak
    }
  }
}
