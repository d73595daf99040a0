package io.github.keydet.core.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.image.AffineTransform;
import io.github.keydet.api.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AffineTransformTest {

  @Test
  void rotatedCenterScaleMatchesGetAffineTransform() {
    AffineTransform t = AffineTransform.centerScale(123.4f, 56.7f, 300, 30, 64, 48);
    JsonNode e = TestData.cases().get("rotated_transform");
    double[] m = {t.m00(), t.m01(), t.m02(), t.m10(), t.m11(), t.m12()};
    for (int i = 0; i < 6; i++) {
      assertThat(m[i]).as("coefficient %d", i).isCloseTo(e.get(i).asDouble(), within(1e-9));
    }
  }

  @Test
  void centerScaleByHandAndInverse() {
    // no rotation: scale 32 / 200, the center (100, 75) goes to (16, 16)
    AffineTransform t = AffineTransform.centerScale(100, 75, 200, 0, 32, 32);
    assertThat(t.applyX(100, 75)).isCloseTo(16f, within(1e-5f));
    assertThat(t.applyY(100, 75)).isCloseTo(16f, within(1e-5f));
    assertThat(t.m00()).isCloseTo(0.16, within(1e-9));
    AffineTransform inv = t.inverse();
    assertThat(inv.applyX(t.applyX(37, 41), t.applyY(37, 41))).isCloseTo(37f, within(1e-4f));
    assertThatThrownBy(() -> AffineTransform.scale(0, 1).inverse()).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> AffineTransform.centerScale(0, 0, -1, 0, 8, 8))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("scale=-1");
    assertThatThrownBy(() -> TargetGeometry.builder(2, 2).optStride(4).build())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("0x0");
  }

  @Test
  void cornerFamiliesWithoutObjectsGiveEmptyTargets() {
    TargetGeometry g = TargetGeometry.builder(127, 127).optOutputSize(32, 32).build();
    CornerTargetEncoder enc = CornerTargetEncoder.builder(g, 2).optCenters(true).build();
    try (TargetSet t = enc.encode(List.of(ObjectAnnotation.box(10, 10, 10, 30, 1),
        ObjectAnnotation.box(-40, 10, -1, 30, 0)))) {
      for (String n : t.names()) {
        assertThat(TestData.values(t.get(n))).as(n).containsOnly(0.0);
      }
    }
  }
}
