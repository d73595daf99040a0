package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
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

  private static final String ENHANCED = "../detector-core/src/test/resources/encode/enhanced/";

  /**
   * {@code --point-flags} reaches the GridNeighbor encoder: every GridNeighbor case of {@code cases.json} (flags
   * 0,4,8, all nine, unsorted 6,2 and 4 alone), run through the command line on {@code gridneighbor_coco.json} (the
   * same annotations), writes the arrays of the upstream {@code GridNeighborDetDataset.__getitem__} sample
   * ({@code tools/testdata/enhanced_centernet_targets.py}).
   */
  @Test
  void gridNeighborPointFlagsGiveTheUpstreamSample() throws Exception {
    JsonNode cases = new ObjectMapper().readTree(new File(ENHANCED + "cases.json")).get("cases");
    JsonNode images = new ObjectMapper().readTree(new File(ENHANCED + "gridneighbor_coco.json")).get("images");
    int compared = 0;
    for (JsonNode image : images) {
      String name = image.get("case").asText();
      JsonNode c = cases.get(name);
      StringBuilder flags = new StringBuilder();
      for (JsonNode f : c.get("point_flags")) {
        flags.append(flags.length() > 0 ? "," : "").append(f.asInt());
      }
      Path dir = tmp.resolve(name);
      Run r = run(ENHANCED + "gridneighbor_coco.json", image.get("id").asText(), "--family", "gridneighbor",
          "--point-flags", flags.toString(), "--input-size", c.get("input_size").asText(), "--classes",
          c.get("classes").asText(), "--out", dir.toString());
      assertThat(r.code()).as(name + ": " + r.err()).isZero();
      Map<String, INDArray> expected = Nd4j.createFromNpzFile(new File(ENHANCED + name + ".npz"));
      for (String head : List.of("hm", "wh", "reg", "ind", "reg_mask")) {
        INDArray want = expected.get(head);
        INDArray got = npy(dir, head);
        assertThat(got.shape()).as(name + "/" + head).containsExactly(want.shape());
        double[] a = got.castTo(DataType.DOUBLE).data().asDouble();
        double[] b = want.castTo(DataType.DOUBLE).data().asDouble();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
          worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertThat(worst).as(name + "/" + head + " largest difference").isLessThanOrEqualTo(1e-6);
      }
      compared++;
    }
    assertThat(compared).isEqualTo(4);
  }

  @Test
  void badPointFlagsAreRefusedByName() {
    String coco = ENHANCED + "gridneighbor_coco.json";
    Run nine = run(coco, "1", "--family", "gridneighbor", "--point-flags", "0,9", "--out", tmp.resolve("a").toString());
    assertThat(nine.code()).isEqualTo(2);
    assertThat(nine.err()).contains("point flag 9");
    Run twice = run(coco, "1", "--family", "gridneighbor", "--point-flags", "4,4", "--out", tmp.resolve("b").toString());
    assertThat(twice.code()).isEqualTo(2);
    assertThat(twice.err()).contains("4 is repeated");
    Run other = run(coco, "1", "--family", "centernet", "--point-flags", "0,4", "--out", tmp.resolve("c").toString());
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("point flags [0, 4] apply to GRIDNEIGHBOR targets only");
  }
}
