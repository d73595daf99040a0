package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code keydet targets} with CenterNet's target options, through the real command line on detector-core's COCO
 * test file (image 7: 60x40, three objects of three categories). Expected shapes follow CenterNet's rules:
 * output = input / 4; keep_res pads 60x40 up to 64x64; CornerNet-family output = (input + 1) / 4.
 */
class TargetsCommandTest {
  private static final String COCO = "../detector-core/src/test/resources/encode/coco_mini.json";

  @TempDir Path tmp;

  private record Run(int code, String err) {}

  private Run run(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 1];
      all[0] = "targets";
      System.arraycopy(args, 0, all, 1, args.length);
      return new Run(KeyDetCli.commandLine().execute(all), buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }

  private INDArray npy(Path dir, String name) {
    return Nd4j.createFromNpyFile(dir.resolve(name + ".npy").toFile());
  }

  @Test
  void inputSizeAndKeepResSetTheOutputMap() {
    Path square = tmp.resolve("square");
    assertThat(run(COCO, "7", "--family", "centernet", "--input-size", "256", "--out", square.toString()).code())
        .isZero();
    assertThat(npy(square, "hm").shape()).containsExactly(3, 64, 64);
    Path rect = tmp.resolve("rect");
    assertThat(run(COCO, "7", "--family", "centernet", "--input-size", "320x192", "--out", rect.toString()).code())
        .isZero();
    assertThat(npy(rect, "hm").shape()).containsExactly(3, 48, 80);
    Path keep = tmp.resolve("keep");
    assertThat(run(COCO, "7", "--family", "centernet", "--keep-res", "--out", keep.toString()).code()).isZero();
    assertThat(npy(keep, "hm").shape()).containsExactly(3, 16, 16);
    Path corner = tmp.resolve("corner");
    assertThat(run(COCO, "7", "--family", "cornernet", "--input-size", "255", "--out", corner.toString()).code())
        .isZero();
    assertThat(npy(corner, "tl_heatmaps").shape()).containsExactly(3, 64, 64);
  }

  @Test
  void ctdetOptionsAddTheirTargets() {
    Path dir = tmp.resolve("ct");
    Run r = run(COCO, "7", "--family", "centernet", "--dense-wh", "--cat-spec-wh", "--max-objs", "5",
        "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(npy(dir, "wh").shape()).containsExactly(5, 2);
    assertThat(npy(dir, "cat_spec_wh").shape()).containsExactly(5, 6);
    assertThat(npy(dir, "dense_wh").shape()).containsExactly(2, 128, 128);
    assertThat(Files.exists(dir.resolve("dense_wh_mask.npy"))).isTrue();
  }

  @Test
  void msraGaussiansHaveTheGivenSigma() {
    Path dir = tmp.resolve("msra");
    Run r = run(COCO, "7", "--family", "centernet", "--mse-loss", "--hm-gauss", "2", "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    INDArray hm = npy(dir, "hm");
    // next to every peak (value 1) the MSRA Gaussian is exp(-1 / (2 sigma^2)) = exp(-1/8); max() with another
    // object can only raise it
    double next = Math.exp(-1.0 / 8);
    int peaks = 0;
    boolean exact = false;
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 128; y++) {
        for (int x = 0; x < 127; x++) {
          if (hm.getFloat(c, y, x) == 1f) {
            peaks++;
            double right = hm.getFloat(c, y, x + 1);
            assertThat(right).isGreaterThanOrEqualTo(next - 1e-6);
            exact |= Math.abs(right - next) < 1e-6;
          }
        }
      }
    }
    assertThat(peaks).isEqualTo(3);
    assertThat(exact).isTrue();
  }

  @Test
  void settingsAFamilyHasNoUseForAreRefusedByName() {
    Run keep = run(COCO, "7", "--family", "cornernet", "--keep-res", "--out", tmp.resolve("a").toString());
    assertThat(keep.code()).isEqualTo(2);
    assertThat(keep.err()).contains("keep_res").contains("CORNERNET");
    Run dense = run(COCO, "7", "--family", "extremenet", "--dense-wh", "--out", tmp.resolve("b").toString());
    assertThat(dense.code()).isEqualTo(2);
    assertThat(dense.err()).contains("dense_wh applies to CENTERNET targets, not EXTREMENET");
    Run size = run(COCO, "7", "--family", "centernet", "--input-size", "12x", "--out", tmp.resolve("c").toString());
    assertThat(size.code()).isEqualTo(2);
    assertThat(size.err()).contains("--input-size").contains("'12x'");
  }

  @Test
  void defaultsAreCenterNets() {
    Path dir = tmp.resolve("default");
    assertThat(run(COCO, "7", "--family", "centernet", "--out", dir.toString()).code()).isZero();
    INDArray hm = npy(dir, "hm");
    assertThat(hm.shape()).containsExactly(3, 128, 128);
    assertThat(npy(dir, "wh").shape()).containsExactly(128, 2);
    assertThat(hm.maxNumber().doubleValue()).isCloseTo(1.0, within(1e-9));
  }
}
