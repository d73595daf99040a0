package io.github.keydet.core.nms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {
  // A, B (IoU 90/110 with A), C far away
  private static final float[] BOXES = {0, 0, 10, 10, 1, 0, 11, 10, 100, 100, 110, 110};
  private static final float[] SCORES = {0.8f, 0.9f, 0.7f};
  private static final float IOU_AB = (float) (90.0 / 110.0);

  @Test
  void gaussianDecaysOverlapAndReordersByDecayedScore() {
    SoftNmsOptions o = SoftNmsOptions.builder().optMethod(SoftNmsMethod.GAUSSIAN).build();
    NmsResult r = Nms.softNms(BOXES, SCORES, o);
    // B (0.9) first, C (0.7) next, A decayed to 0.8 * exp(-iou^2 / 0.5) = 0.2097 last
    assertThat(r.indices()).isEqualTo(new int[] {1, 2, 0});
    float expected = 0.8f * (float) Math.exp(-(IOU_AB * IOU_AB) / 0.5f);
    assertThat(r.scores()[2]).isEqualTo(expected);
    assertThat(r.scores()[2]).isCloseTo(0.20971905f, within(1e-7f));
    assertThat(r.scores()[0]).isEqualTo(0.9f);
    assertThat(r.scores()[1]).isEqualTo(0.7f);
    assertThat(r.boxes()).isEqualTo(new float[] {1, 0, 11, 10, 100, 100, 110, 110, 0, 0, 10, 10});
  }

  @Test
  void pixelInclusiveOverlapCountsWidthsPlusOne() {
    // A [0,0,9,9] 0.9, B [5,0,14,9] 0.8, C [20,0,29,9] 0.7, D [14.5,20,20,30] 0.6, E [14.5,0,20,9] 0.5.
    // With +1 (the Cython originals): A-B iw 5, ih 10, IoU 50 / 150; C-E iw 20 - 20 + 1 = 1, ih 10, IoU 10 / 155;
    // B-E iw 14 - 14.5 + 1 = 0.5, IoU 5 / 160; D overlaps nothing (ih < 0). Selection order A, C, B, D, E.
    // Without +1: A-B 36 / 126; C-E and B-E do not meet (iw 0 and -0.5); same order, E keeps 0.5.
    float[] boxes = {0, 0, 9, 9, 5, 0, 14, 9, 20, 0, 29, 9, 14.5f, 20, 20, 30, 14.5f, 0, 20, 9};
    float[] scores = {0.9f, 0.8f, 0.7f, 0.6f, 0.5f};
    SoftNmsOptions plusOne =
        SoftNmsOptions.builder().optMethod(SoftNmsMethod.GAUSSIAN).optPixelInclusive(true).build();
    NmsResult r = Nms.softNms(boxes, scores, plusOne);
    assertThat(r.indices()).isEqualTo(new int[] {0, 2, 1, 3, 4});
    assertThat((double) r.scores()[2]).isCloseTo(0.8 * gauss(50.0 / 150), within(1e-6));
    assertThat((double) r.scores()[3]).isEqualTo(0.6f);
    assertThat((double) r.scores()[4]).isCloseTo(0.5 * gauss(10.0 / 155) * gauss(5.0 / 160), within(1e-6));

    NmsResult sdk = Nms.softNms(boxes, scores, plusOne.withPixelInclusive(false));
    assertThat(sdk.indices()).isEqualTo(new int[] {0, 2, 1, 3, 4});
    assertThat((double) sdk.scores()[2]).isCloseTo(0.8 * gauss(36.0 / 126), within(1e-6));
    assertThat(sdk.scores()[4]).isEqualTo(0.5f);
  }

  /** The Gaussian decay of sigma 0.5. */
  private static double gauss(double iou) {
    return Math.exp(-iou * iou / 0.5);
  }

  @Test
  void linearDecaysOnlyAboveNt() {
    NmsResult r = Nms.softNms(BOXES, SCORES, SoftNmsOptions.builder().optMethod(SoftNmsMethod.LINEAR).build());
    assertThat(r.indices()).isEqualTo(new int[] {1, 2, 0});
    assertThat(r.scores()[2]).isEqualTo((1f - IOU_AB) * 0.8f);
    NmsResult none = Nms.softNms(
        BOXES, SCORES, SoftNmsOptions.builder().optMethod(SoftNmsMethod.LINEAR).optNt(0.9f).build());
    assertThat(none.scores()).isEqualTo(new float[] {0.9f, 0.8f, 0.7f});
  }

  @Test
  void droppedBoxIsReplacedByTheLastLiveRow() {
    // A 0.9, B duplicate 0.8 (dropped), C 0.5, D 0.7; C and D do not overlap anything
    float[] boxes = {0, 0, 10, 10, 0, 0, 10, 10, 50, 50, 60, 60, 80, 80, 90, 90};
    float[] scores = {0.9f, 0.8f, 0.5f, 0.7f};
    NmsResult r = Nms.softNms(boxes, scores, SoftNmsOptions.builder().optNt(0.5f).build());
    assertThat(r.indices()).isEqualTo(new int[] {0, 3, 2});
    assertThat(r.scores()).isEqualTo(new float[] {0.9f, 0.7f, 0.5f});
  }

  @Test
  void scoreFloorDropsOnlyOverlappingBoxes() {
    // a low-score box that overlaps nothing survives below the threshold, as in the original
    float[] boxes = {0, 0, 10, 10, 1, 0, 11, 10, 100, 100, 110, 110};
    float[] scores = {0.9f, 0.002f, 0.0001f};
    NmsResult r = Nms.softNms(boxes, scores,
        SoftNmsOptions.builder().optMethod(SoftNmsMethod.GAUSSIAN).optThreshold(0.001f).build());
    assertThat(r.indices()).isEqualTo(new int[] {0, 2});
  }

  @Test
  void equalScoresTakeTheFirstRow() {
    float[] boxes = {0, 0, 10, 10, 0, 0, 10, 10};
    NmsResult r = Nms.softNms(boxes, new float[] {0.5f, 0.5f},
        SoftNmsOptions.builder().optMethod(SoftNmsMethod.HARD).build());
    assertThat(r.indices()).isEqualTo(new int[] {0});
  }

  @Test
  void mergeAveragesCornersByWeights() {
    float[] boxes = {0, 0, 10, 10, 1, 0, 11, 10};
    NmsResult r = Nms.softNmsMerge(boxes, new float[] {0.9f, 0.8f}, new float[] {1, 1}, new float[] {1, 3},
        SoftNmsOptions.builder().optMethod(SoftNmsMethod.HARD).optNt(0.5f).build());
    // B is dropped (weight 0, merge weight (1-0)^6 = 1): x1 = (0*1 + 1*1)/2, x2 = (10*1 + 11*3)/4
    assertThat(r.indices()).isEqualTo(new int[] {0});
    assertThat(r.boxes()).isEqualTo(new float[] {0.5f, 0f, 43f / 4f, 10f});
  }

  @Test
  void maxPerImageKeepsTiesAtTheKthScore() {
    float[] scores = {0.5f, 0.9f, 0.5f, 0.1f, 0.5f};
    assertThat(Nms.maxPerImage(scores, 2)).isEqualTo(new int[] {0, 1, 2, 4});
    assertThat(Nms.maxPerImage(scores, 1)).isEqualTo(new int[] {1});
    assertThat(Nms.maxPerImage(scores, 5)).isEqualTo(new int[] {0, 1, 2, 3, 4});
    assertThatThrownBy(() -> Nms.maxPerImage(scores, 0)).isInstanceOf(InvalidConfigException.class);
  }

  @Test
  void hardNmsPerClassAndAgnostic() {
    int[] classes = {0, 1, 0};
    float[] boxes = {0, 0, 10, 10, 1, 0, 11, 10, 0, 0, 10, 11};
    float[] scores = {0.9f, 0.8f, 0.7f};
    assertThat(Nms.hard(boxes, scores, 0.5f).indices()).isEqualTo(new int[] {0});
    assertThat(Nms.hardPerClass(boxes, scores, classes, 0.5f).indices()).isEqualTo(new int[] {0, 1});
    // IoU exactly at the threshold is kept (strictly greater suppresses)
    float[] half = {0, 0, 10, 10, 0, 0, 10, 20};
    assertThat(Nms.hard(half, new float[] {0.9f, 0.8f}, 0.5f).indices()).isEqualTo(new int[] {0, 1});
  }

  @Test
  void detectionConveniences() {
    List<Detection> dets = List.of(
        Detection.of(new BoundingBox(0, 0, 10, 10), 0.8f, 0, null),
        Detection.of(new BoundingBox(1, 0, 11, 10), 0.9f, 0, null),
        Detection.of(new BoundingBox(1, 0, 11, 10), 0.6f, 1, null));
    List<Detection> soft = Nms.softNms(dets, SoftNmsOptions.centerNetDefault(), true);
    assertThat(soft).hasSize(3);
    assertThat(soft.get(0).score()).isEqualTo(0.9f);
    assertThat(soft.get(1).score()).isLessThan(0.8f);
    assertThat(soft.get(2).classId()).isEqualTo(1);
    assertThat(soft.get(2).score()).isEqualTo(0.6f);
    assertThat(Nms.nms(dets, 0.5f, false)).hasSize(1);
    assertThat(Nms.nms(dets, 0.5f, true)).hasSize(2);
    assertThat(Nms.maxPerImage(dets, 2)).extracting(Detection::score).containsExactly(0.8f, 0.9f);
  }

  @Test
  void badInputsAreNamed() {
    assertThatThrownBy(() -> Nms.hard(new float[3], new float[1], 0.5f))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("4 values per score");
    assertThatThrownBy(() -> Nms.softNms(new float[4], new float[] {Float.NaN}, SoftNmsOptions.builder().build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
    float[] infinite = {0, 0, 10, 10, 5, 5, Float.POSITIVE_INFINITY, 20};
    assertThatThrownBy(() -> Nms.softNms(infinite, new float[] {0.9f, 0.8f}, SoftNmsOptions.builder().build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("box 1 has a non-finite coordinate");
    float[] nanBox = {0, Float.NaN, 10, 10};
    assertThatThrownBy(() -> Nms.hard(nanBox, new float[] {0.9f}, 0.5f))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("box 0 has a non-finite coordinate");
    assertThatThrownBy(() -> SoftNmsOptions.builder().optSigma(0).build())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("sigma");
  }

  @Test
  void scoreOrderIsStable() {
    assertThat(ScoreOrder.descending(new double[] {0.5, 0.9, 0.5, -0.0, 0.0, 0.5}))
        .isEqualTo(new int[] {1, 0, 2, 5, 3, 4});
  }
}
