package io.github.keydet.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.coco.CocoAnnotation;
import io.github.keydet.core.coco.CocoCategory;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoImage;
import io.github.keydet.core.coco.CocoResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keypoint evaluation by hand-computed OKS, and its refusals of incomplete input. */
class CocoKeypointsEvalTest {
  private static final List<CocoImage> IMAGES = List.of(new CocoImage(1, 640, 480, "1.jpg"));
  private static final List<CocoCategory> PERSON = List.of(new CocoCategory(1, "person"));

  /** A person whose only labelled keypoint is the nose at (100, 100); area 10000. */
  private static CocoAnnotation noseOnly(int numKeypoints) {
    double[] k = new double[51];
    k[0] = 100;
    k[1] = 100;
    k[2] = 2;
    return new CocoAnnotation(1, 1, 1, new double[] {50, 50, 100, 100}, 10000, false, null, k, numKeypoints);
  }

  /** A detection with every keypoint at (x, y). */
  private static CocoResult at(double x, double y, double score) {
    double[] k = new double[51];
    for (int j = 0; j < 17; j++) {
      k[3 * j] = x;
      k[3 * j + 1] = y;
      k[3 * j + 2] = 1;
    }
    return new CocoResult(1, 1, null, score, null, k);
  }

  @Test
  void oksOfOneLabelledKeypointByHand() {
    // nose sigma .026: OKS = exp(-(3² + 4²) / (2 * .026)² / 10000 / 2) = exp(-0.462278) = 0.629847, so the detection
    // matches at the OKS thresholds .50, .55 and .60 only: AP = 3 / 10, AP50 = 1, AP75 = 0
    double oks = Math.exp(-25 / (0.052 * 0.052) / 10000 / 2);
    assertThat(oks).isCloseTo(0.629847, within(1e-6));
    CocoDataset gt = new CocoDataset(IMAGES, PERSON, List.of(noseOnly(1)));

    KeypointStats s = CocoEvaluator.evaluate(gt, List.of(at(103, 104, 0.9)), IouType.KEYPOINTS).keypointStats();

    assertThat(s.ap()).isCloseTo(0.3, within(1e-12));
    assertThat(s.ap50()).isCloseTo(1.0, within(1e-12)); // precision tp / (tp + fp + eps), as the toolkit
    assertThat(s.ap75()).isEqualTo(0.0);
    assertThat(s.apMedium()).isEqualTo(-1.0); // 10000 > 96²: large
    assertThat(s.apLarge()).isCloseTo(0.3, within(1e-12));
    assertThat(s.ar()).isCloseTo(0.3, within(1e-12));
  }

  @Test
  void aPersonWithoutLabelledKeypointsIsIgnored() {
    CocoDataset gt = new CocoDataset(IMAGES, PERSON, List.of(noseOnly(0)));

    KeypointStats s = CocoEvaluator.evaluate(gt, List.of(at(100, 100, 0.9)), IouType.KEYPOINTS).keypointStats();

    assertThat(s.ap()).isEqualTo(-1.0); // no regular ground truth: nothing to measure
  }

  @Test
  void boxStatsAreNotKeypointStats() {
    CocoDataset gt = new CocoDataset(IMAGES, PERSON, List.of(noseOnly(1)));
    CocoEvalResult r = CocoEvaluator.evaluate(gt, List.of(at(100, 100, 0.9)), IouType.KEYPOINTS);
    assertThatThrownBy(r::stats).isInstanceOf(IllegalStateException.class).hasMessageContaining("keypointStats()");
    assertThat(r.summary().lines().count()).isEqualTo(10);
  }

  @Test
  void refusesResultsWithoutKeypoints() {
    CocoDataset gt = new CocoDataset(IMAGES, PERSON, List.of(noseOnly(1)));
    CocoResult box = new CocoResult(1, 1, new double[] {50, 50, 100, 100}, 0.9, null);
    assertThatThrownBy(() -> CocoEvaluator.evaluate(gt, List.of(box), IouType.KEYPOINTS))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("result 0 has no keypoints");
  }

  @Test
  void refusesGroundTruthWithoutNumKeypoints() {
    CocoDataset gt = new CocoDataset(IMAGES, PERSON, List.of(noseOnly(-1)));
    assertThatThrownBy(() -> CocoEvaluator.evaluate(gt, List.of(at(100, 100, 0.9)), IouType.KEYPOINTS))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("annotation 1 has no 'num_keypoints'");
  }

  @Test
  void refusesAKeypointCountOtherThanTheSigmas() {
    CocoDataset gt = new CocoDataset(IMAGES, PERSON, List.of(noseOnly(1)));
    CocoResult five = new CocoResult(1, 1, null, 0.9, null, new double[15]);
    assertThatThrownBy(() -> CocoEvaluator.evaluate(gt, List.of(five), IouType.KEYPOINTS))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("has 5 keypoints, the evaluation's sigmas are for 17");
  }

  @Test
  void refusesKeypointsThatAreNotTriplets() {
    assertThatThrownBy(() -> new CocoResult(1, 1, null, 0.9, null, new double[16]))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("(x, y, v) triplets, got 16");
  }
}
