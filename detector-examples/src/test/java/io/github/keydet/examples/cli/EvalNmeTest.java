package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keydet eval --metric nme} on detector-onnx's tiny random-weight LANDMARK model
 * ({@code tools/testdata/make_enhanced_tiny_models.py}) and one annotated 300W-style face: the command runs, pairs the
 * face with a detection and prints the NME with its normalisation and the failure rates. (Random weights: the value
 * itself is meaningless; {@code LandmarkNmeTest} checks the arithmetic.)
 */
class EvalNmeTest {
  private static final Path MODEL = Path.of("../detector-onnx/src/test/resources/enhanced/landmark_tiny.onnx");

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void nmeOfAnAnnotatedFace(@TempDir Path tmp) throws Exception {
    Random rnd = new Random(3);
    BufferedImage im = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        im.setRGB(x, y, rnd.nextInt(1 << 24));
      }
    }
    Path images = Files.createDirectory(tmp.resolve("images"));
    ImageIO.write(im, "png", images.resolve("face.png").toFile());
    StringBuilder kp = new StringBuilder();
    for (int j = 0; j < 68; j++) {
      kp.append(j == 0 ? "" : ", ").append(8 + (j % 12) * 4).append(", ").append(8 + (j / 12) * 8).append(", 2");
    }
    Path ann = tmp.resolve("faces.json");
    Files.writeString(ann, "{\"images\": [{\"id\": 1, \"file_name\": \"face.png\", \"width\": 64, \"height\": 64}],"
        + " \"categories\": [{\"id\": 1, \"name\": \"face\"}],"
        + " \"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 64, 64],"
        + " \"area\": 4096, \"iscrowd\": 0, \"keypoints\": [" + kp + "], \"num_keypoints\": 68}]}");
    CliRun r = run("eval", "--metric", "nme", "--annotations", ann.toString(), "--images", images.toString(),
        "--model", MODEL.toString(), "--provider", "cpu", "--threshold", "0");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("faces 1").contains("NME ").contains("inter-ocular")
        .contains("failure rate @0.08").contains("failure rate @0.10");

    CliRun noImages = run("eval", "--metric", "nme", "--annotations", ann.toString(), "--results", ann.toString());
    assertThat(noImages.exit()).isEqualTo(2);
    assertThat(noImages.err()).contains("--images");
    CliRun unknown = run("eval", "--metric", "map", "--annotations", ann.toString(), "--results", ann.toString());
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown --metric 'map'");
  }
}
