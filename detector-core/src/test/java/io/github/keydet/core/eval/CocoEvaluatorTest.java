package io.github.keydet.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.coco.CocoAnnotation;
import io.github.keydet.core.coco.CocoCategory;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoImage;
import io.github.keydet.core.coco.CocoJson;
import io.github.keydet.core.coco.CocoResult;
import io.github.keydet.core.coco.Rle;
import io.github.keydet.core.coco.Segmentation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CocoEvaluatorTest {
  private static final double EPS = 1e-12;

  private static CocoImage img(long id) {
    return new CocoImage(id, 200, 200, "");
  }

  private static CocoAnnotation gt(long id, long img, long cat, double x, double y, double w, double h) {
    return new CocoAnnotation(id, img, cat, new double[] {x, y, w, h}, w * h, false, null);
  }

  private static CocoResult dt(long img, long cat, double score, double x, double y, double w, double h) {
    return new CocoResult(img, cat, new double[] {x, y, w, h}, score, null);
  }

  private static CocoDataset data(int images, List<CocoAnnotation> anns) {
    List<CocoImage> ims = new ArrayList<>();
    for (int i = 1; i <= images; i++) {
      ims.add(img(i));
    }
    return new CocoDataset(ims, List.of(new CocoCategory(1, "a"), new CocoCategory(2, "b")), anns);
  }

  private static CocoStats bbox(CocoDataset d, List<CocoResult> r) {
    return CocoEvaluator.evaluate(d, r, IouType.BBOX).stats();
  }

  @Test
  void thresholdsAreNumpyLinspace() {
    CocoEvalParams p = CocoEvalParams.coco();
    assertThat(p.iouThresholds()).containsExactly(0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95);
    assertThat(p.recallThresholds()).hasSize(101);
    assertThat(p.recallThresholds()[35]).isEqualTo(0.35000000000000003);
    assertThat(p.recallThresholds()[57]).isEqualTo(0.5700000000000001);
    assertThat(p.recallThresholds()[100]).isEqualTo(1.0);
  }

  @Test
  void perfectDetectionsGiveOne() {
    // a small (10x10) and a large (100x100) object, no medium one
    CocoDataset d = data(2, List.of(gt(1, 1, 1, 10, 10, 10, 10), gt(2, 2, 1, 20, 20, 100, 100)));
    CocoStats s = bbox(d, List.of(dt(1, 1, 0.9, 10, 10, 10, 10), dt(2, 1, 0.8, 20, 20, 100, 100)));
    assertThat(s.toArray()).containsExactly(
        new double[] {1, 1, 1, 1, -1, 1, 1, 1, 1, 1, -1, 1}, within(EPS));
  }

  @Test
  void oneMissHalvesRecall() {
    CocoDataset d = data(2, List.of(gt(1, 1, 1, 10, 10, 50, 50), gt(2, 2, 1, 20, 20, 50, 50)));
    CocoStats s = bbox(d, List.of(dt(1, 1, 0.9, 10, 10, 50, 50)));
    // precision 1 at recall thresholds 0.00 .. 0.50 (51 of 101), 0 beyond
    assertThat(s.ap()).isCloseTo(51.0 / 101.0, within(EPS));
    assertThat(s.ar100()).isCloseTo(0.5, within(EPS));
    assertThat(s.apMedium()).isCloseTo(51.0 / 101.0, within(EPS));
  }

  @Test
  void duplicateAfterTheMatchCostsNothingBeforeItCostsHalf() {
    CocoDataset d = data(1, List.of(gt(1, 1, 1, 10, 10, 50, 50)));
    assertThat(bbox(d, List.of(dt(1, 1, 0.9, 10, 10, 50, 50), dt(1, 1, 0.8, 10, 10, 50, 50))).ap())
        .isCloseTo(1.0, within(EPS));
    // a false positive ranked first: pr = [0, 0.5] -> envelope 0.5 everywhere
    assertThat(bbox(d, List.of(dt(1, 1, 0.9, 100, 100, 50, 50), dt(1, 1, 0.8, 10, 10, 50, 50))).ap())
        .isCloseTo(0.5, within(EPS));
  }

  @Test
  void crowdRegionAbsorbsManyDetections() {
    CocoAnnotation crowd = new CocoAnnotation(2, 1, 1, new double[] {100, 100, 80, 80}, 6400, true, null);
    CocoDataset d = data(1, List.of(gt(1, 1, 1, 10, 10, 50, 50), crowd));
    List<CocoResult> r = List.of(
        dt(1, 1, 0.95, 110, 110, 10, 10),
        dt(1, 1, 0.94, 120, 120, 30, 30),
        dt(1, 1, 0.93, 100, 100, 80, 80),
        dt(1, 1, 0.5, 10, 10, 50, 50));
    assertThat(bbox(d, r).ap()).isCloseTo(1.0, within(EPS));
    // half of this box lies outside the crowd: intersection / detection area = 0.5, ignored only at IoU 0.5
    List<CocoResult> half = List.of(dt(1, 1, 0.95, 60, 100, 80, 40), dt(1, 1, 0.5, 10, 10, 50, 50));
    CocoStats s = bbox(d, half);
    assertThat(s.ap50()).isCloseTo(1.0, within(EPS));
    assertThat(s.ap75()).isCloseTo(0.5, within(EPS));
  }

  @Test
  void areaRangesUseTheGtAreaFieldInclusively() {
    // area field 1024 exactly: both small and medium; box area irrelevant for gt
    CocoAnnotation edge = new CocoAnnotation(1, 1, 1, new double[] {0, 0, 100, 100}, 1024, false, null);
    CocoDataset d = data(1, List.of(edge));
    CocoStats s = bbox(d, List.of(dt(1, 1, 0.9, 0, 0, 100, 100)));
    assertThat(s.apSmall()).isCloseTo(1.0, within(EPS));
    assertThat(s.apMedium()).isCloseTo(1.0, within(EPS));
    assertThat(s.apLarge()).isEqualTo(-1.0);
    // an unmatched detection outside the range is ignored there, counted elsewhere
    CocoDataset small = data(1, List.of(gt(1, 1, 1, 0, 0, 10, 10)));
    CocoStats t = bbox(small, List.of(dt(1, 1, 0.9, 100, 100, 50, 50), dt(1, 1, 0.5, 0, 0, 10, 10)));
    assertThat(t.apSmall()).isCloseTo(1.0, within(EPS)); // 2500 px false positive is not small
    assertThat(t.ap()).isCloseTo(0.5, within(EPS));
  }

  @Test
  void detectionsOnImagesWithoutGtAreFalsePositives() {
    CocoDataset d = data(2, List.of(gt(1, 1, 1, 10, 10, 50, 50)));
    CocoStats s = bbox(d, List.of(dt(2, 1, 0.9, 10, 10, 50, 50), dt(1, 1, 0.8, 10, 10, 50, 50)));
    assertThat(s.ap()).isCloseTo(0.5, within(EPS));
    assertThat(s.ar100()).isCloseTo(1.0, within(EPS));
  }

  @Test
  void categoryWithoutGtIsMinusOneAndLeftOut() {
    CocoDataset d = data(1, List.of(gt(1, 1, 1, 10, 10, 50, 50)));
    CocoEvalResult r = CocoEvaluator.evaluate(d,
        List.of(dt(1, 1, 0.9, 10, 10, 50, 50), dt(1, 2, 0.95, 10, 10, 50, 50)), IouType.BBOX);
    assertThat(r.stats().ap()).isCloseTo(1.0, within(EPS));
    assertThat(r.perCategoryAp().get(1L)).isCloseTo(1.0, within(EPS));
    assertThat(r.perCategoryAp()).containsEntry(2L, -1.0);
    assertThat(r.precisionShape()).containsExactly(10, 101, 2, 4, 3);
    assertThat(r.precision(0, 0, 1, 0, 2)).isEqualTo(-1.0);
  }

  @Test
  void maxDetsCutOffs() {
    CocoDataset d = data(1, List.of(gt(1, 1, 1, 0, 0, 50, 50), gt(2, 1, 1, 100, 100, 50, 50)));
    CocoStats s = bbox(d, List.of(dt(1, 1, 0.9, 0, 0, 50, 50), dt(1, 1, 0.8, 100, 100, 50, 50)));
    assertThat(s.ar1()).isCloseTo(0.5, within(EPS));
    assertThat(s.ar10()).isCloseTo(1.0, within(EPS));
    // 100 better-scored false positives push the true positive beyond maxDets 100
    List<CocoResult> r = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      r.add(dt(1, 1, 0.9, 300 + i, 300, 10, 10));
    }
    r.add(dt(1, 1, 0.1, 0, 0, 50, 50));
    assertThat(bbox(d, r).ar100()).isEqualTo(0.0);
    assertThat(bbox(d, r).ap()).isEqualTo(0.0);
  }

  @Test
  void equalScoresKeepResultsFileOrder() {
    CocoDataset d = data(1, List.of(gt(1, 1, 1, 10, 10, 50, 50)));
    CocoResult wrong = dt(1, 1, 0.5, 100, 100, 50, 50);
    CocoResult right = dt(1, 1, 0.5, 10, 10, 50, 50);
    assertThat(bbox(d, List.of(wrong, right)).ap()).isCloseTo(0.5, within(EPS));
    assertThat(bbox(d, List.of(right, wrong)).ap()).isCloseTo(1.0, within(EPS));
  }

  @Test
  void equalIouGoesToTheLaterObject() {
    // det A overlaps gt1 and gt2 with the same IoU 90/110; det B overlaps gt1 with 90/110, gt2 with 70/130.
    // A takes the later gt2, so B can take gt1: two true positives at IoU thresholds 0.5 .. 0.8
    CocoDataset d = data(1, List.of(gt(1, 1, 1, 0, 0, 10, 10), gt(2, 1, 1, 2, 0, 10, 10)));
    CocoStats s = bbox(d, List.of(dt(1, 1, 0.9, 1, 0, 10, 10), dt(1, 1, 0.8, -1, 0, 10, 10)));
    assertThat(s.ap50()).isCloseTo(1.0, within(EPS));
    assertThat(s.ap()).isCloseTo(0.7, within(EPS));
  }

  @Test
  void boxIouTakesTheAreasAsWidthTimesHeight() {
    // maskApi.c's bbIou: union = w_d * h_d + w_g * h_g - inter, the areas from the given widths and heights.
    // Here that is exactly 0.5, a match at IoU 0.50; areas from corners, ((x + w) - x) * h, give
    // 0.4999999999999999 and no match. pycocotools 2.0 (upstream source and the 2.0.11 wheel) gives these stats.
    CocoDataset d = data(1, List.of(gt(1, 1, 1, 216.46, 68.63, 94.58, 90.24)));
    CocoStats s = bbox(d, List.of(dt(1, 1, 0.9, 216.46, 68.63, 47.29, 90.24)));
    assertThat(s.toArray()).containsExactly(
        new double[] {0.1, 1, 0, -1, 0.1, -1, 0.1, 0.1, 0.1, -1, 0.1, -1}, within(EPS));
  }

  @Test
  void segmOnPolygons() {
    double[] square = {10, 10, 10, 60, 60, 60, 60, 10};
    CocoAnnotation g = new CocoAnnotation(1, 1, 1, new double[] {10, 10, 50, 50}, 2500, false,
        new Segmentation.Polygons(List.of(square)));
    CocoDataset d = data(1, List.of(g));
    CocoResult same = new CocoResult(1, 1, new double[] {10, 10, 50, 50}, 0.9,
        new Segmentation.Polygons(List.of(square)));
    CocoEvalResult r = CocoEvaluator.evaluate(d, List.of(same), IouType.SEGM);
    assertThat(r.stats().ap()).isCloseTo(1.0, within(EPS));
    // without a segmentation the detection's box is used as a polygon: the same mask here
    CocoEvalResult boxOnly = CocoEvaluator.evaluate(d, List.of(dt(1, 1, 0.9, 10, 10, 50, 50)), IouType.SEGM);
    assertThat(boxOnly.stats().ap()).isCloseTo(1.0, within(EPS));
  }

  @Test
  void rleBasics() {
    Rle box = Rle.fromBox(0, 0, 10, 10, 20, 20);
    assertThat(box.area()).isEqualTo(100);
    assertThat(box.toBbox()).containsExactly(0, 0, 10, 10);
    Rle back = Rle.fromString(box.toCompressedString(), 20, 20);
    assertThat(back).isEqualTo(box);
    Rle other = Rle.fromBox(5, 0, 10, 10, 20, 20);
    assertThat(Rle.iou(box, other, false)).isCloseTo(50.0 / 150.0, within(EPS));
    assertThat(Rle.iou(box, other, true)).isCloseTo(0.5, within(EPS));
    assertThat(Rle.merge(List.of(box, other)).area()).isEqualTo(150);
  }

  @Test
  void summaryLooksLikePycocotools() {
    CocoDataset d = data(1, List.of(gt(1, 1, 1, 10, 10, 50, 50)));
    String s = CocoEvaluator.evaluate(d, List.of(dt(1, 1, 0.9, 10, 10, 50, 50)), IouType.BBOX).summary();
    assertThat(s.lines().toList()).hasSize(12);
    assertThat(s.lines().findFirst().orElseThrow())
        .isEqualTo(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000");
    assertThat(s).contains(" Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000");
    assertThat(CocoEvalResult.fmt3(0.0005)).isEqualTo("0.001");
    assertThat(CocoEvalResult.fmt3(1.0005)).isEqualTo("1.000"); // 1.0005 is 1.000499999... in binary
  }

  @Test
  void badInputIsNamed() {
    CocoDataset d = data(1, List.of(gt(1, 1, 1, 10, 10, 50, 50)));
    assertThatThrownBy(() -> CocoEvaluator.evaluate(d, List.of(dt(7, 1, 0.9, 0, 0, 1, 1)), IouType.BBOX))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("image id 7");
    assertThatThrownBy(() -> CocoEvaluator.evaluate(d, List.of(dt(1, 9, 0.9, 0, 0, 1, 1)), IouType.BBOX))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("category id 9");
    assertThatThrownBy(() -> dt(1, 1, 0.9, 0, 0, -1, 1))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("negative size");
    assertThatThrownBy(() -> read("[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,1,1],\"score\":NaN}]"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> read("[{\"image_id\":1,\n\"category_id\":1,, }]"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("malformed JSON at line 2");
    assertThatThrownBy(() -> read("[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,-2,1],\"score\":1}]"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("negative size");
  }

  @Test
  void readsAnnotationsAndResults() {
    String ann = "{\"images\":[{\"id\":1,\"width\":100,\"height\":80}],\"categories\":[{\"id\":3,\"name\":\"c\"}],"
        + "\"annotations\":[{\"id\":5,\"image_id\":1,\"category_id\":3,\"bbox\":[1,2,30,40],\"area\":1200,"
        + "\"iscrowd\":0,\"segmentation\":[[1,2,31,2,31,42,1,42]]},"
        + "{\"id\":6,\"image_id\":1,\"category_id\":3,\"bbox\":[50,50,10,10],\"area\":100,\"iscrowd\":1,"
        + "\"segmentation\":{\"size\":[80,100],\"counts\":[4000,10,3990]}}]}";
    CocoDataset d = CocoJson.readAnnotations(new ByteArrayInputStream(ann.getBytes(StandardCharsets.UTF_8)), "t");
    assertThat(d.annotations()).hasSize(2);
    assertThat(d.annotations().get(1).crowd()).isTrue();
    List<CocoResult> r = read("[{\"image_id\":1,\"category_id\":3,\"bbox\":[1,2,30,40],\"score\":0.7}]");
    assertThat(CocoEvaluator.evaluate(d, r, IouType.BBOX).stats().ap()).isCloseTo(1.0, within(EPS));
    assertThat(CocoEvaluator.evaluate(d, r, IouType.SEGM).stats().ap()).isCloseTo(1.0, within(EPS));
  }

  private static List<CocoResult> read(String json) {
    return CocoJson.readResults(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "r.json");
  }
}
