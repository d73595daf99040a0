package io.github.keydet.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.OnnxDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SparkDetection#detect} in a user's own {@code local[2]} session: each row equals {@link
 * OnnxDetector#detect} on the same file, and the executor JVM (here the driver's) loads one detector for all
 * partitions.
 */
class SparkDetectionTest {
  /**
   * The job and the reference detector run the same model bytes with the same settings through the same ONNX
   * Runtime CPU kernels in this JVM; only a different split of work between intra-op threads could move a float
   * (by a few ulps: 1e-4 px at 500 px, 1e-6 in a score). Measured here: identical (this test passes with both
   * tolerances set to 0).
   */
  private static final float BOX_TOLERANCE = 1e-3f;
  private static final float SCORE_TOLERANCE = 1e-6f;

  private static SparkSession spark;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("SparkDetectionTest")
        .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
    ExecutorDetectors.closeAll();
  }

  @Test
  void rowsEqualOnnxDetectorDetectAndOneDetectorServesAllPartitions() throws IOException {
    Path dir = TestImages.goodImages(tmp.resolve("good"));
    ExecutorDetectors.closeAll();
    int loadsBefore = ExecutorDetectors.loadCount();
    Dataset<Row> images = SparkDetection.readImages(spark, dir.toString()).repartition(4);
    List<Row> rows = SparkDetection.detect(images, DetectionOptions.defaults()).collectAsList();
    assertThat(ExecutorDetectors.loadCount() - loadsBefore).as("detectors loaded for 4 partitions").isEqualTo(1);
    assertThat(rows).hasSize(7);

    // the reference: the CLI's default settings on a detector of its own
    try (OnnxDetector reference = BundledModels.builder("coco").optDecodeOptions(DecodeOptions.defaults().withK(100))
        .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(0.3f).withNmsIouThreshold(0.5f)
            .withMaxDetections(100)).build()) {
      int total = 0;
      for (Row row : rows) {
        String uri = row.getAs("path");
        Path file = Path.of(java.net.URI.create(uri));
        DetectionResult expected = reference.detect(file);
        assertThat(DetectionRows.error(row)).as(uri).isNull();
        assertThat((int) row.getAs("width")).isEqualTo(expected.imageWidth());
        assertThat((int) row.getAs("height")).isEqualTo(expected.imageHeight());
        List<Detection> actual = DetectionRows.detections(row);
        assertThat(actual).as(uri).hasSameSizeAs(expected.detections());
        for (int i = 0; i < actual.size(); i++) {
          Detection a = actual.get(i);
          Detection e = expected.detections().get(i);
          assertThat(a.classId()).isEqualTo(e.classId());
          assertThat(a.label()).isEqualTo(e.label());
          assertThat(a.score()).isCloseTo(e.score(), org.assertj.core.data.Offset.offset(SCORE_TOLERANCE));
          float[] ab = {a.box().x1(), a.box().y1(), a.box().x2(), a.box().y2()};
          float[] eb = {e.box().x1(), e.box().y1(), e.box().x2(), e.box().y2()};
          for (int k = 0; k < 4; k++) {
            assertThat(ab[k]).as("%s det %d coord %d", uri, i, k)
                .isCloseTo(eb[k], org.assertj.core.data.Offset.offset(BOX_TOLERANCE));
          }
          assertThat(a.keypoints()).isEqualTo(e.keypoints());
          assertThat(a.polygon()).isEqualTo(e.polygon());
        }
        total += actual.size();
      }
      assertThat(total).isGreaterThan(10);
    }
    // the same options again: the loaded detector is reused, not reloaded
    SparkDetection.detect(images, DetectionOptions.defaults()).count();
    assertThat(ExecutorDetectors.loadCount() - loadsBefore).isEqualTo(1);
  }

  @Test
  void errorRowsNameTheProblemAndGoodRowsStillCome() throws IOException {
    Path dir = TestImages.withBadFiles(tmp.resolve("bad"));
    Map<String, String> errors = new HashMap<>();
    for (Row r : SparkDetection.detect(SparkDetection.readImages(spark, dir.toString()),
        DetectionOptions.defaults()).collectAsList()) {
      String path = r.getAs("path");
      errors.put(path.substring(path.lastIndexOf('/') + 1), String.valueOf(DetectionRows.error(r)));
    }
    assertThat(errors).containsOnlyKeys("coffee.png", "truncated.png", "truncated.jpg", "notes.jpg");
    assertThat(errors.get("coffee.png")).isEqualTo("null");
    assertThat(errors.get("truncated.png")).contains("(PNG) is corrupt or truncated");
    assertThat(errors.get("truncated.jpg")).contains("truncated JPEG");
    assertThat(errors.get("notes.jpg")).contains("not in a supported format");
  }

  @Test
  void aPixelLimitGivesErrorRows() throws IOException {
    Path dir = TestImages.goodImages(tmp.resolve("limit"));
    // astronaut 512x512, coffee 600x400, chelsea 451x300 (135300 pixels): a 200000-pixel limit refuses two
    List<Row> rows = SparkDetection.detect(SparkDetection.readImages(spark, dir.resolve("*.png").toString()),
        DetectionOptions.builder().optMaxPixels(200_000).build()).collectAsList();
    Map<String, String> errors = new HashMap<>();
    rows.forEach(r -> errors.put(r.<String>getAs("path").replaceAll(".*/", ""), DetectionRows.error(r)));
    assertThat(errors).containsOnlyKeys("astronaut.png", "chelsea.png", "coffee.png");
    assertThat(errors.get("astronaut.png")).contains("512x512").contains("above the limit");
    assertThat(errors.get("coffee.png")).contains("600x400").contains("above the limit");
    assertThat(errors.get("chelsea.png")).isNull();
  }

  @Test
  void inputWithoutBinaryFileColumnsIsRefused() {
    Dataset<Row> wrong = spark.range(3).toDF("id");
    assertThatThrownBy(() -> SparkDetection.detect(wrong, DetectionOptions.defaults()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("[path, content]").hasMessageContaining("[id]");
  }

  @Test
  void modelsResolveFromTheClassPathAndBadNamesSayWhatWasTried() {
    try (OnnxDetector d = ExecutorDetectors.builderFor(
        "classpath:io/github/keydet/models/" + BundledModels.COCO.fileName()).build()) {
      assertThat(d.spec().labels()).hasSize(80);
    }
    assertThatThrownBy(() -> ExecutorDetectors.builderFor("no-such-model"))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("no-such-model")
        .hasMessageContaining("coco").hasMessageContaining("--files").hasMessageContaining("classpath:");
    assertThatThrownBy(() -> ExecutorDetectors.builderFor("classpath:missing.onnx"))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("no resource missing.onnx");
  }
}
