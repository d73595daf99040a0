package io.github.keydet.core.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.decode.Candidate;
import org.junit.jupiter.api.Test;

class OctagonTest {

  @Test
  void extendsEachExtremePointByAnEighthOfTheBoxSideEachWay() {
    // t (5, 0), l (0, 4), b (3, 10), r (8, 6): w = 8, h = 10 -> dx = 1, dy = 1.25
    Octagon o = Octagon.fromExtremePoints(new float[] {5, 0, 0, 4, 3, 10, 8, 6});
    assertThat(o.vertices())
        .isEqualTo(new float[] {6, 0, 4, 0, 0, 2.75f, 0, 5.25f, 2, 10, 4, 10, 8, 7.25f, 8, 4.75f});
  }

  @Test
  void extendedEndsAreClippedToTheBox() {
    // t at x = 7.5 next to r = 8; l at y = 0.5 next to t = 0; b at x = 0.25; r at y = 9.5 next to b = 10
    Octagon o = Octagon.fromExtremePoints(new float[] {7.5f, 0, 0, 0.5f, 0.25f, 10, 8, 9.5f});
    assertThat(o.vertices())
        .isEqualTo(new float[] {8, 0, 6.5f, 0, 0, 0, 0, 1.75f, 0, 10, 1.25f, 10, 8, 10, 8, 8.25f});
  }

  @Test
  void rasterisesByPixelCenters() {
    // square [1, 4) x [1, 3): centers x + 0.5 in 1.5..3.5, y + 0.5 in 1.5..2.5 -> 3 x 2 pixels
    BinaryMask m = PolygonRaster.fill(new float[] {1, 1, 4, 1, 4, 3, 1, 3}, 6, 5);
    assertThat(m.area()).isEqualTo(6);
    assertThat(m.get(1, 1)).isTrue();
    assertThat(m.get(3, 2)).isTrue();
    assertThat(m.get(4, 2)).isFalse();
    assertThat(m.get(0, 1)).isFalse();
    // right triangle (0,0) (4,0) (0,4): centers with x + y + 1 < 4; those on the hypotenuse (x + y = 3) are out
    BinaryMask tri = PolygonRaster.fill(new float[] {0, 0, 4, 0, 0, 4}, 5, 5);
    assertThat(tri.area()).isEqualTo(6);
    assertThat(tri.get(2, 0)).isTrue();
    assertThat(tri.get(3, 0)).isFalse();
    // clipped to the mask and independent of orientation
    BinaryMask big = PolygonRaster.fill(new float[] {-5, -5, -5, 20, 20, 20, 20, -5}, 4, 3);
    assertThat(big.area()).isEqualTo(12);
  }

  @Test
  void octagonMaskIsTheBoxMinusFourCorners() {
    // extreme points at the middle of each side of the box [0, 16] x [0, 16]: w/8 = h/8 = 2, so the octagon
    // has 6-pixel edges on the box sides and cuts the four corner triangles (legs 6): area 256 - 4 * 18 = 184
    Octagon o = Octagon.fromExtremePoints(new float[] {8, 0, 0, 8, 8, 16, 16, 8});
    assertThat(o.vertices()).isEqualTo(new float[] {10, 0, 6, 0, 0, 6, 0, 10, 6, 16, 10, 16, 16, 10, 16, 6});
    BinaryMask m = o.rasterize(16, 16);
    assertThat(m.area()).isEqualTo(184);
    assertThat(m.get(0, 0)).isFalse();
    assertThat(m.get(8, 8)).isTrue();
    assertThat(m.get(8, 0)).isTrue();
    byte[] bytes = m.toBytes();
    assertThat(bytes[8]).isEqualTo((byte) 1);
    assertThat(bytes[0]).isEqualTo((byte) 0);
  }

  @Test
  void fromAnExtremeNetCandidateAndTransformed() {
    Candidate c =
        Candidate.withPoints(0, 0, 16, 16, 0.9f, 0, new float[] {8, 0, 0, 8, 8, 16, 16, 8}, new float[] {1, 1, 1, 1});
    Octagon o = Octagon.of(c).transformed(4, 4, 1, 2);
    assertThat(o.vertices()[0]).isEqualTo(41f);
    assertThat(o.vertices()[1]).isEqualTo(2f);
    assertThat(o.rasterize(80, 80).area()).isEqualTo(184 * 16);
  }

  @Test
  void badInputIsATypedError() {
    assertThatThrownBy(() -> Octagon.fromExtremePoints(new float[7])).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Octagon.fromExtremePoints(new float[] {0, 0, 0, 0, 0, 0, 0, Float.NaN}))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Octagon.of(Candidate.box(0, 0, 1, 1, 1, 0))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> PolygonRaster.fill(new float[] {0, 0, 1, 1}, 4, 4))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> PolygonRaster.fill(new float[] {0, 0, 1, 1, 2, 0}, -1, 4))
        .isInstanceOf(InvalidInputException.class);
  }
}
