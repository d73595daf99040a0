package io.github.keydet.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.examples.cli.KeyDetCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code keydet spark} as a user runs it, with {@code local[2]}: its COCO results equal {@code keydet detect --json}
 * on the same images, and a folder with bad files gives error rows, exit code 3 and no job failure.
 */
class SparkCommandTest {
  /**
   * {@code keydet detect --json} rounds boxes and scores to 0.001 (half a step: 5e-4); the Spark job writes the
   * floats unrounded. Both run the same model bytes through the same ONNX Runtime CPU kernels with the same
   * settings, so beyond the rounding only float-to-double noise (~1e-5 at 500 px) remains.
   */
  private static final double ROUNDING = 5e-4 + 1e-4;

  @TempDir Path tmp;

  @Test
  void resultsJsonEqualsKeydetDetectJson() throws IOException {
    Path images = TestImages.goodImages(tmp.resolve("images"));
    Path out = tmp.resolve("out");
    Result spark = runSpark("--input", images.toString(), "--output", out.toString(), "--master", "local[2]");
    assertThat(spark.code).as(spark.err).isZero();
    assertThat(spark.out).contains("7 images").contains("0 failed");

    Path cliJson = tmp.resolve("cli.json");
    CommandLine cli = KeyDetCli.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("detect", images.toString(), "--json", cliJson.toString())).isZero();

    Map<Long, List<JsonNode>> expected = byImage(new ObjectMapper().readTree(cliJson.toFile()));
    Map<Long, List<JsonNode>> actual = byImage(new ObjectMapper().readTree(out.resolve("results.json").toFile()));
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    assertThat(expected.values().stream().mapToInt(List::size).sum()).isGreaterThan(10);
    for (long id : expected.keySet()) {
      List<JsonNode> e = expected.get(id);
      List<JsonNode> a = actual.get(id);
      assertThat(a).as("image %d", id).hasSameSizeAs(e);
      for (int i = 0; i < e.size(); i++) {
        assertThat(a.get(i).get("category_id").asInt()).isEqualTo(e.get(i).get("category_id").asInt());
        assertThat(a.get(i).get("score").asDouble()).isCloseTo(e.get(i).get("score").asDouble(),
            org.assertj.core.data.Offset.offset(ROUNDING));
        for (int k = 0; k < 4; k++) {
          assertThat(a.get(i).get("bbox").get(k).asDouble()).as("image %d det %d bbox[%d]", id, i, k)
              .isCloseTo(e.get(i).get("bbox").get(k).asDouble(), org.assertj.core.data.Offset.offset(ROUNDING));
        }
      }
    }
    assertThat(Files.list(out.resolve("detections.parquet")).map(p -> p.getFileName().toString())
        .filter(n -> n.endsWith(".parquet")).count()).isPositive();
  }

  @Test
  void badFilesBecomeErrorRowsAndTheJobSucceeds() throws IOException {
    Path images = TestImages.withBadFiles(tmp.resolve("bad"));
    Path out = tmp.resolve("out-bad");
    Result spark = runSpark("--input", images.toString(), "--output", out.toString(), "--master", "local[2]");
    assertThat(spark.code).as(spark.out + spark.err).isEqualTo(SparkCommand.EXIT_SOME_FAILED);
    assertThat(spark.out).contains("4 images").contains("3 failed");
    assertThat(spark.err).doesNotContain("Exception");

    SparkSession session = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1").getOrCreate();
    try {
      Map<String, Row> rows = new TreeMap<>();
      for (Row r : session.read().parquet(out.resolve("detections.parquet").toString()).collectAsList()) {
        String path = r.getAs("path");
        rows.put(path.substring(path.lastIndexOf('/') + 1), r);
      }
      // empty.png: Spark's file sources skip 0-byte files, so it never reaches the job (README.txt: not an image)
      assertThat(rows.keySet()).containsExactly("coffee.png", "notes.jpg", "truncated.jpg", "truncated.png");
      assertThat(DetectionRows.error(rows.get("coffee.png"))).isNull();
      assertThat(DetectionRows.detections(rows.get("coffee.png"))).isNotEmpty();
      assertThat(DetectionRows.error(rows.get("truncated.jpg"))).contains("truncated JPEG");
      assertThat(DetectionRows.error(rows.get("notes.jpg"))).contains("not in a supported format");
      assertThat(DetectionRows.error(rows.get("truncated.png"))).contains("corrupt or truncated");
      for (String bad : List.of("notes.jpg", "truncated.jpg", "truncated.png")) {
        assertThat(rows.get(bad).isNullAt(rows.get(bad).fieldIndex("detections"))).isTrue();
        assertThat(rows.get(bad).isNullAt(rows.get(bad).fieldIndex("width"))).isTrue();
        assertThat(spark.err).contains("failed").contains(bad);
      }
    } finally {
      session.stop();
    }
    // the results JSON has the good image's detections only, with the CLI's image ids (the index in path order)
    JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertThat(byImage(json).keySet()).containsExactly(0L);
  }

  @Test
  void aMissingInputIsAnErrorNamingIt() {
    Result r = runSpark("--input", tmp.resolve("nope").toString(), "--output", tmp.resolve("o").toString(),
        "--master", "local[1]");
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("nope").containsIgnoringCase("does not exist");
  }

  private static Map<Long, List<JsonNode>> byImage(JsonNode results) {
    List<JsonNode> all = new ArrayList<>();
    results.forEach(all::add);
    Map<Long, List<JsonNode>> out = all.stream().collect(Collectors.groupingBy(n -> n.get("image_id").asLong(),
        TreeMap::new, Collectors.toList()));
    return out; // within an image both keep the detector's order (best score first)
  }

  private record Result(int code, String out, String err) {}

  private static Result runSpark(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = SparkCommand.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
