package io.github.keydet.core.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.Box3D;
import io.github.keydet.api.Detection;
import io.github.keydet.api.Keypoint;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.family.Families;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.Object3dValues;
import io.github.keydet.core.geometry3d.Box3dGeometry;
import io.github.keydet.core.geometry3d.CameraCalibration;
import io.github.keydet.core.image.ImageTransform;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The family-specific outputs the postprocessor builds: ExtremeNet octagons and ddd 3D boxes. */
class PostprocessorExtrasTest {
  private static final PostprocessConfig KEEP_ALL = PostprocessConfig.defaults().withScoreThreshold(0f);

  @Test
  void fillAndRejectedCandidatesAreNeverDetectionsEvenAtThresholdZero() {
    ImageTransform identity = new ImageTransform(1, 1, 0, 0, 100, 100);
    List<Candidate> candidates = List.of(
        Candidate.withPoints(1, 1, 3, 3, 0.5f, 0, new float[0], new float[0]),
        Candidate.withPoints(2, 2, 4, 4, 0f, 0, new float[0], new float[0]),   // a cell that only fills K
        Candidate.withPoints(5, 5, 9, 9, -1f, 0, new float[0], new float[0])); // rejected by the decoder
    List<Detection> d = new Postprocessor(KEEP_ALL).process(candidates, 4, identity, id -> "c");
    assertThat(d).hasSize(1);
    assertThat(d.get(0).score()).isEqualTo(0.5f);
    assertThat(new Postprocessor(KEEP_ALL).toDetections(candidates, 4, identity, id -> "c", 0f)).hasSize(1);
  }

  @Test
  void extremeNetCandidatesGetTheirOctagonInImagePixels() {
    // extreme points in output-map cells: t (8, 2), l (4, 6), b (10, 14), r (16, 8); stride 4; input = image / 2
    float[] points = {8, 2, 4, 6, 10, 14, 16, 8};
    Candidate c = Candidate.withPoints(4, 2, 16, 14, 0.8f, 3, points, new float[] {0.9f, 0.8f, 0.7f, 0.6f});
    ImageTransform half = new ImageTransform(0.5, 0.5, 0, 0, 200, 200);
    Postprocessor p = Families.of(ModelFamily.EXTREMENET).postprocessor(KEEP_ALL, null);
    Detection d = p.process(List.of(c), 4, half, id -> "c" + id).get(0);
    // image pixels = cells * 4 / 0.5 = cells * 8: t (64, 16), l (32, 48), b (80, 112), r (128, 64)
    assertThat(d.keypoints()).extracting(Keypoint::x).containsExactly(64f, 32f, 80f, 128f);
    // w = 128 - 32 = 96, h = 112 - 16 = 96: each point extended by 12 along its edge, clipped to the box
    float[][] expected = {
      {76, 16}, {52, 16}, {32, 36}, {32, 60}, {68, 112}, {92, 112}, {128, 76}, {128, 52}
    };
    assertThat(d.polygon()).hasSize(8);
    for (int i = 0; i < 8; i++) {
      assertThat(d.polygon().get(i).x()).as("vertex %d x", i).isCloseTo(expected[i][0], within(1e-4f));
      assertThat(d.polygon().get(i).y()).as("vertex %d y", i).isCloseTo(expected[i][1], within(1e-4f));
    }
    // other families get no polygon
    Detection plain = new Postprocessor(KEEP_ALL).process(List.of(c), 4, half, id -> "c" + id).get(0);
    assertThat(plain.polygon()).isEmpty();
  }

  @Test
  void dddCandidatesAreLiftedFromTheirCenterInImagePixels() {
    Object3dValues v = new Object3dValues(20f, 1.5f, 1.6f, 3.9f, 0.3f, new float[8]);
    // 2D center at cell (100.25, 40.5): image pixels (401, 162) with stride 4 and an identity transform
    Candidate c = new Candidate(95, 35, 105, 45, 0.7f, 0, new float[] {100.25f, 40.5f}, new float[] {0.7f}, v);
    ImageTransform identity = new ImageTransform(1, 1, 0, 0, 1242, 375);
    CameraCalibration calib = CameraCalibration.kittiDefault();
    Detection d = Families.of(ModelFamily.DDD).postprocessor(KEEP_ALL, calib).process(List.of(c), 4, identity, id -> "car")
        .get(0);
    Box3D expected = Box3dGeometry.lift(v, 401.0, 162.0, calib);
    assertThat(d.box3d()).isEqualTo(expected);
    assertThat(d.box3d().depth()).isEqualTo(20f);
    // without a calibration there is no 3D box
    assertThat(Families.of(ModelFamily.DDD).postprocessor(KEEP_ALL, null).process(List.of(c), 4, identity, id -> "car")
        .get(0).box3d()).isNull();
  }
}
