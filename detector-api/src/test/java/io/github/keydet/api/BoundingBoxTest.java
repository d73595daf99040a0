package io.github.keydet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BoundingBoxTest {
  @Test
  void geometryWithoutThePlusOneConvention() {
    BoundingBox b = BoundingBox.ofXywh(10, 20, 30, 40);
    assertThat(b).isEqualTo(new BoundingBox(10, 20, 40, 60));
    assertThat(b.width()).isEqualTo(30f);
    assertThat(b.height()).isEqualTo(40f);
    assertThat(b.area()).isEqualTo(1200f);
    assertThat(b.centerX()).isEqualTo(25f);
    assertThat(b.centerY()).isEqualTo(40f);
  }

  @Test
  void iouByHand() {
    BoundingBox a = new BoundingBox(0, 0, 10, 10);
    BoundingBox b = new BoundingBox(5, 5, 15, 15);
    // intersection 5x5 = 25, union 100 + 100 - 25 = 175
    assertThat(a.iou(b)).isCloseTo(25.0 / 175.0, within(1e-12));
    assertThat(a.iou(a)).isEqualTo(1.0);
    assertThat(a.iou(new BoundingBox(10, 0, 20, 10))).isEqualTo(0.0); // touching edges
    assertThat(new BoundingBox(3, 3, 3, 3).iou(new BoundingBox(3, 3, 3, 3))).isEqualTo(0.0); // empty
  }

  @Test
  void clipToTheImage() {
    assertThat(new BoundingBox(-5, -1, 50, 30).clip(40, 20)).isEqualTo(new BoundingBox(0, 0, 40, 20));
  }

  @Test
  void invalidBoxesAreTypedErrorsNamingTheCoordinates() {
    assertThatThrownBy(() -> new BoundingBox(5, 0, 4, 1)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("(5.0, 0.0, 4.0, 1.0)");
    assertThatThrownBy(() -> new BoundingBox(Float.NaN, 0, 4, 1)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> new BoundingBox(0, 0, Float.POSITIVE_INFINITY, 1))
        .isInstanceOf(InvalidInputException.class);
  }
}
