package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keydet program end to end on the shipped model and photographs. */
class KeyDetCliTest {
  private static final Path SAMPLES = Path.of("samples");

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void detectWritesTableAnnotatedPngsAndCocoJson(@TempDir Path tmp) throws Exception {
    Path json = tmp.resolve("results.json");
    CliRun r = run("detect", SAMPLES.toString(), "--out", tmp.toString(), "--json", json.toString(), "--provider", "cpu");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("astronaut.png").contains("person").contains("cup").contains("cat");
    for (String name : new String[] {"astronaut", "coffee", "chelsea"}) {
      Path png = tmp.resolve(name + ".png");
      assertThat(png).exists();
      var original = ImageIO.read(SAMPLES.resolve(name + ".png").toFile());
      var annotated = ImageIO.read(png.toFile());
      assertThat(annotated.getWidth()).isEqualTo(original.getWidth());
      assertThat(annotated.getHeight()).isEqualTo(original.getHeight());
      int changed = 0;
      for (int y = 0; y < original.getHeight(); y += 2) {
        for (int x = 0; x < original.getWidth(); x += 2) {
          if ((original.getRGB(x, y) & 0xFFFFFF) != (annotated.getRGB(x, y) & 0xFFFFFF)) {
            changed++;
          }
        }
      }
      assertThat(changed).as("pixels drawn on %s", name).isGreaterThan(100);
    }
    JsonNode rows = new ObjectMapper().readTree(json.toFile());
    Map<String, Integer> bestCategory = new HashMap<>();
    Map<String, Double> bestScore = new HashMap<>();
    for (JsonNode row : rows) {
      String file = row.get("file_name").asText();
      double score = row.get("score").asDouble();
      assertThat(row.get("bbox")).hasSize(4);
      assertThat(row.get("bbox").get(2).asDouble()).isPositive();
      if (score > bestScore.getOrDefault(file, -1.0)) {
        bestScore.put(file, score);
        bestCategory.put(file, row.get("category_id").asInt());
      }
    }
    // COCO category ids: person 1, cat 17, cup 47
    assertThat(bestCategory).containsEntry("astronaut.png", 1).containsEntry("chelsea.png", 17)
        .containsEntry("coffee.png", 47);
  }

  @Test
  void evalRunsTheModelAndScoresHandLabelledSamples(@TempDir Path tmp) throws Exception {
    Path annotations = Path.of("src/test/resources/eval/samples_instances.json");
    Path results = tmp.resolve("r.json");
    CliRun r = run("eval", "--annotations", annotations.toString(), "--images", SAMPLES.toString(),
        "--write-results", results.toString(), "--plot", tmp.resolve("plots").toString(), "--provider", "cpu");
    assertThat(r.exit()).as(r.err()).isZero();
    // every hand-labelled object is found at IoU 0.5 and ranked first in its category
    assertThat(r.out()).contains("Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 1.000");
    assertThat(results).exists();
    assertThat(tmp.resolve("plots/pr_bbox_iou0.50.png")).exists();
    // the results file alone gives the same summary
    CliRun again = run("eval", "--annotations", annotations.toString(), "--results", results.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(summary(again.out())).hasSize(12).isEqualTo(summary(r.out()));
  }

  private static java.util.List<String> summary(String out) {
    return out.lines().filter(l -> l.startsWith(" Average")).toList();
  }

  @Test
  void badInputGivesAClearErrorAndExitCode(@TempDir Path tmp) throws Exception {
    Path text = tmp.resolve("notes.png");
    Files.writeString(text, "this is not an image");
    CliRun r = run("detect", text.toString(), "--provider", "cpu");
    assertThat(r.exit()).isEqualTo(KeyDetCli.EXIT_SOME_FAILED);
    assertThat(r.err()).contains("keydet: failed " + text + ": image " + text + " is not in a supported format");

    CliRun missing = run("detect", tmp.resolve("nope.jpg").toString(), "--provider", "cpu");
    assertThat(missing.exit()).isEqualTo(KeyDetCli.EXIT_ERROR);
    assertThat(missing.err()).contains("does not exist");

    CliRun badProvider = run("detect", SAMPLES.resolve("coffee.png").toString(), "--provider", "tpu");
    assertThat(badProvider.exit()).isEqualTo(KeyDetCli.EXIT_ERROR);
    assertThat(badProvider.err()).contains("unknown execution provider 'tpu'");
  }

  @Test
  void benchPrintsEveryStage() {
    CliRun r = run("bench", SAMPLES.resolve("coffee.png").toString(), "--runs", "3", "--warmup", "1", "--provider", "cpu");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("preprocess").contains("inference").contains("decode").contains("postprocess")
        .contains("images/s");
  }

  @Test
  void benchOfADextrModelTimesItPerObject() {
    CliRun r = run("bench", SAMPLES.resolve("astronaut.png").toString(), "--dextr",
        "../detector-onnx/src/test/resources/dextr/dextr_tiny.onnx", "--objects", "2",
        "--runs", "2", "--warmup", "0", "--provider", "cpu");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("DEXTR dextr_tiny.onnx (flip test on) on astronaut.png, 2 object(s) per call")
        .containsPattern("per object: p50 [0-9.]+ ms, p95 [0-9.]+ ms");
    CliRun bad = run("bench", SAMPLES.resolve("astronaut.png").toString(), "--dextr",
        "../detector-onnx/src/test/resources/dextr/dextr_tiny.onnx", "--points",
        "1,2,3", "--provider", "cpu");
    assertThat(bad.exit()).isEqualTo(KeyDetCli.EXIT_ERROR);
    assertThat(bad.err()).contains("--points needs 8 numbers and --objects must be > 0, got 3 numbers and 1 objects");
  }
}
