package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.core.coco.Rle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keydet segment} with the tiny DEXTR export on the astronaut case of ExtremeNet's {@code segment()} run by
 * tools/testdata/dextr_reference.py (committed in detector-onnx's test resources): the mask it writes has the
 * reference's run lengths; bad points and a missing model are exit 1 with a message naming them.
 */
class SegmentCommandTest {
  private static final Path DEXTR = Path.of("../detector-onnx/src/test/resources/dextr");

  @Test
  void theMaskEqualsExtremeNetsSegment(@TempDir Path tmp) throws Exception {
    JsonNode c = new ObjectMapper().readTree(DEXTR.resolve("cases.json").toFile()).get("cases").get(0);
    assertThat(c.get("name").asText()).isEqualTo("astronaut_person");
    assertThat(c.get("flip").asBoolean()).isTrue();
    List<String> xy = new ArrayList<>();
    c.get("points").forEach(p -> {
      xy.add(p.get(0).asText());
      xy.add(p.get(1).asText());
    });
    Path json = tmp.resolve("mask.json");
    Path png = tmp.resolve("mask.png");
    CliRun run = CliRun.of("segment", "samples/" + c.get("image").asText(), "--points", String.join(",", xy),
        "--model", DEXTR.resolve("dextr_tiny.onnx").toString(), "--json", json.toString(), "--out", png.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("mask area " + c.get("area").asLong() + " pixels");

    JsonNode written = new ObjectMapper().readTree(json.toFile());
    assertThat(written.get("area").asLong()).isEqualTo(c.get("area").asLong());
    Rle rle = Rle.fromString(written.get("segmentation").get("counts").asText(), 512, 512);
    long[] expected = new long[c.get("mask_runs").size()];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = c.get("mask_runs").get(i).asLong();
    }
    assertThat(rle.counts()).isEqualTo(expected);
    BufferedImage drawn = ImageIO.read(png.toFile());
    assertThat(drawn.getWidth()).isEqualTo(512);
    assertThat(Files.size(png)).isPositive();
  }

  @Test
  void badPointsAndMissingModelsAreNamed(@TempDir Path tmp) {
    String model = DEXTR.resolve("dextr_tiny.onnx").toString();
    CliRun six = CliRun.of("segment", "samples/astronaut.png", "--points", "1,2,3,4,5,6", "--model", model);
    assertThat(six.exit()).isEqualTo(KeyDetCli.EXIT_ERROR);
    assertThat(six.err()).contains("--points needs 8 numbers x1,y1,...,x4,y4 (4 extreme points), got 6");

    CliRun outside = CliRun.of("segment", "samples/astronaut.png", "--points", "250,30,120,300,260,512,400,280",
        "--model", model);
    assertThat(outside.exit()).isEqualTo(KeyDetCli.EXIT_ERROR);
    assertThat(outside.err()).contains("extreme point 2 (x=260.0, y=512.0) is outside the image 512x512");

    CliRun noModel = CliRun.of("segment", "samples/astronaut.png", "--points", "250,30,120,300,260,511,400,280",
        "--model", tmp.resolve("none.onnx").toString());
    assertThat(noModel.exit()).isEqualTo(KeyDetCli.EXIT_ERROR);
    assertThat(noModel.err()).contains("DEXTR model file not found").contains("none.onnx");
  }
}
