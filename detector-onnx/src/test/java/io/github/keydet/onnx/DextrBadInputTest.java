package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.Keypoint;
import io.github.keydet.api.ModelLoadException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the DEXTR segmenter: the wrong number of points, points outside the image or not numbers, and a
 * model that is not DEXTR, each a typed exception naming the problem, thrown before the network runs.
 */
class DextrBadInputTest {
  private static DextrSegmenter segmenter;
  private static final BufferedImage IMAGE = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);

  @BeforeAll
  static void load() {
    segmenter = DextrSegmenter.builder().setModel(DextrSegmenterTest.DIR.resolve("dextr_tiny.onnx")).build();
  }

  @AfterAll
  static void close() {
    segmenter.close();
  }

  private static List<Keypoint> points(float... xy) {
    List<Keypoint> p = new ArrayList<>();
    for (int i = 0; i < xy.length; i += 2) {
      p.add(new Keypoint(xy[i], xy[i + 1], 1f));
    }
    return p;
  }

  @Test
  void notFourPoints() {
    assertThatThrownBy(() -> segmenter.segment(IMAGE, points(10, 2, 2, 20, 12, 40)))
        .isInstanceOf(InvalidInputException.class).hasMessage("DEXTR needs exactly 4 extreme points (x, y), got 3");
    assertThatThrownBy(() -> segmenter.segment(IMAGE, points(10, 2, 2, 20, 12, 40, 30, 22, 5, 5)))
        .isInstanceOf(InvalidInputException.class).hasMessage("DEXTR needs exactly 4 extreme points (x, y), got 5");
    assertThatThrownBy(() -> segmenter.segment(IMAGE, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("got null");
  }

  @Test
  void pointsOutsideTheImageOrNotNumbers() {
    assertThatThrownBy(() -> segmenter.segment(IMAGE, points(10, 2, -1, 20, 12, 40, 30, 22)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("extreme point 1 (x=-1.0, y=20.0) is outside the image 64x48");
    assertThatThrownBy(() -> segmenter.segment(IMAGE, points(10, 2, 2, 20, 12, 48, 30, 22)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("extreme point 2 (x=12.0, y=48.0) is outside");
    assertThatThrownBy(() -> segmenter.segment(IMAGE, points(10, 2, 2, 20, 12, 40, 64, 22)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("extreme point 3 (x=64.0, y=22.0) is outside");
    assertThatThrownBy(() -> segmenter.segment(IMAGE, points(Float.NaN, 2, 2, 20, 12, 40, 30, 22)))
        .isInstanceOf(InvalidInputException.class).hasMessage("extreme point 0 (x=NaN, y=2.0) is not a finite number");
    assertThatThrownBy(() -> segmenter.segment(IMAGE, points(10, 2, 2, Float.POSITIVE_INFINITY, 12, 40, 30, 22)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("extreme point 1").hasMessageContaining("finite");
  }

  @Test
  void oneBadObjectFailsTheCallNamingItBeforeAnyRun() {
    List<List<Keypoint>> objects = List.of(points(10, 2, 2, 20, 12, 40, 30, 22), points(10, 2, 2, 20, 12, 40));
    assertThatThrownBy(() -> segmenter.segmentAll(IMAGE, objects)).isInstanceOf(InvalidInputException.class)
        .hasMessage("object 1: DEXTR needs exactly 4 extreme points (x, y), got 3");
    assertThatThrownBy(() -> segmenter.segmentAll(null, objects)).isInstanceOf(InvalidInputException.class)
        .hasMessage("image is null");
  }

  @Test
  void aDetectorModelIsNotADextrModel() {
    assertThatThrownBy(() -> DextrSegmenter.builder().setModel(java.nio.file.Path.of("src/test/resources/tiny/dla34_ctdet.onnx")).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("not a DEXTR segmenter");
  }
}
