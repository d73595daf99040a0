package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;

class DecodeCommandTest {
  /** numpy-made test data of detector-core (the working directory of a module's tests is its basedir). */
  private static final File DATA = new File("../detector-core/src/test/resources/decode");

  @TempDir Path tmp;

  private record Run(int code, String err, JsonNode json) {}

  private Run run(String... args) throws Exception {
    File out = tmp.resolve("out.json").toFile();
    out.delete();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new DecodeCommand());
    cl.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--out";
    all[args.length + 1] = out.getPath();
    int code = cl.execute(all);
    JsonNode json = out.isFile() ? new ObjectMapper().readTree(out) : null;
    return new Run(code, err.toString(), json);
  }

  @Test
  void numpyFloat64AndFloat32ArraysAreRead() {
    Map<String, INDArray> a = DecodeCommand.readNpz(new File(DATA, "gridneighbor/one_box_f64.npz"));
    assertThat(a.keySet()).containsExactlyInAnyOrder("hm", "wh", "reg");
    assertThat(a.get("wh").dataType()).isEqualTo(DataType.DOUBLE);
    assertThat(a.get("reg").dataType()).isEqualTo(DataType.FLOAT);
    assertThat(a.get("wh").shape()).containsExactly(1, 6, 8, 10);
    assertThat(a.get("hm").getDouble(0, 0, 3, 3)).isEqualTo(0.9);
    assertThat(a.get("wh").getDouble(0, 4, 5, 6)).isEqualTo(4.5);
  }

  @Test
  void gridNeighborFromFloat64Npz() throws Exception {
    // tools/testdata/gridneighbor_f64_heads.py: one box (2, 2, 8, 6) seen by flags 0 (0.9), 4 (0.6) and 8 (0.3),
    // each point where the upstream training targets put it; every point's box is the object's (by hand there)
    Run r = run(new File(DATA, "gridneighbor/one_box_f64.npz").getPath(), "--family", "gridneighbor",
        "--point-flags", "0,4,8", "--K", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json()).hasSize(3);
    double[] scores = {0.9, 0.6, 0.3};
    int[] flags = {0, 4, 8};
    for (int i = 0; i < 3; i++) {
      JsonNode row = r.json().get(i);
      assertThat(row.get("batch").asInt()).isZero();
      assertThat(row.get("class").asInt()).isZero();
      assertThat(row.get("score").asDouble()).isCloseTo(scores[i], within(1e-6));
      assertThat(row.get("point").asInt()).isEqualTo(flags[i]);
      double[] box = new double[4];
      for (int j = 0; j < 4; j++) {
        box[j] = row.get("box").get(j).asDouble();
      }
      assertThat(box).as("box of flag %d", flags[i]).containsExactly(new double[] {2, 2, 8, 6}, within(1e-5));
    }
    Run gone = run(new File(DATA, "gridneighbor/one_box_f64.npz").getPath(), "--family", "grid_points");
    assertThat(gone.code()).isEqualTo(DecodeCommand.EXIT_CONFIG);
    assertThat(gone.err()).contains("unknown family 'grid_points'");
  }

  @Test
  void multiPoseRowsHaveSeventeenJoints() throws Exception {
    Run r = run(new File(DATA, "pose/heads.npz").getPath(), "--family", "MULTI_POSE", "--K", "10");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json()).hasSize(20);
    JsonNode row = r.json().get(0);
    assertThat(row.get("points")).hasSize(17);
    assertThat(row.get("points").get(0)).hasSize(2);
    assertThat(row.get("score").asDouble()).isGreaterThanOrEqualTo(r.json().get(1).get("score").asDouble());
    assertThat(r.json().get(10).get("batch").asInt()).isEqualTo(1);
  }

  @Test
  void dddRowsCarryDepthDimRot() throws Exception {
    Run r = run(new File(DATA, "ddd/heads.npz").getPath(), "--family", "ddd", "--K", "5");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode row = r.json().get(0);
    assertThat(row.get("depth").isNumber()).isTrue();
    assertThat(row.get("dim")).hasSize(3);
    assertThat(row.get("rot")).hasSize(8);
    assertThat(row.get("center")).hasSize(2);
  }

  @Test
  void ctdetFromPoseHeads() throws Exception {
    // the pose file has hm, wh and reg: a valid ctdet input
    Run r = run(new File(DATA, "pose/heads.npz").getPath(), "--family", "centernet", "--K", "3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json()).hasSize(6);
    assertThat(r.json().get(0).has("points")).isFalse();
  }

  @Test
  void errorsAreClearWithNonZeroExit() throws Exception {
    Run missingFile = run(tmp.resolve("nope.npz").toString(), "--family", "DDD");
    assertThat(missingFile.code()).isEqualTo(DecodeCommand.EXIT_INPUT);
    assertThat(missingFile.err()).contains("not found");

    Run missingArray = run(new File(DATA, "pose/heads.npz").getPath(), "--family", "DDD");
    assertThat(missingArray.code()).isEqualTo(DecodeCommand.EXIT_INPUT);
    assertThat(missingArray.err()).contains("missing head 'dep'").contains("hm_hp");

    Run badFamily = run(new File(DATA, "pose/heads.npz").getPath(), "--family", "yolo");
    assertThat(badFamily.code()).isEqualTo(DecodeCommand.EXIT_CONFIG);
    assertThat(badFamily.err()).contains("unknown family 'yolo'").contains("MULTI_POSE");

    Run badK = run(new File(DATA, "pose/heads.npz").getPath(), "--family", "MULTI_POSE", "--K", "0");
    assertThat(badK.code()).isEqualTo(DecodeCommand.EXIT_CONFIG);

    Run tooLargeK = run(new File(DATA, "pose/heads.npz").getPath(), "--family", "MULTI_POSE", "--K", "257");
    assertThat(tooLargeK.code()).isEqualTo(DecodeCommand.EXIT_INPUT);
    assertThat(tooLargeK.err()).contains("K = 257");

    Run wrongHeads = run(new File(DATA, "pose/heads.npz").getPath(), "--family", "extremenet");
    assertThat(wrongHeads.code()).isEqualTo(DecodeCommand.EXIT_INPUT);
    assertThat(wrongHeads.err()).contains("missing head 't_heat'");
  }

  /** A family flag reads false unless given (picocli applied an arity-0 flag's default value as "given"). */
  @Test
  void familyFlagsAreFalseUnlessGiven() {
    for (String[] args : new String[][] {{"x.npz", "--family", "extremenet"},
        {"x.npz", "--family", "extremenet", "--class-agnostic"}}) {
      DecodeCommand c = new DecodeCommand();
      CommandLine cl = new CommandLine(c);
      cl.parseArgs(args);
      boolean given = args.length == 4;
      for (String name : new String[] {"--class-agnostic", "--depth-metres", "--reg-only"}) {
        io.github.keydet.core.family.FamilyOption option = io.github.keydet.core.family.Families.all().stream()
            .flatMap(f -> f.decodeOptions().stream()).filter(o -> o.name().equals(name)).findFirst().orElseThrow();
        assertThat(FamilyDecodeOptions.value(cl.getCommandSpec(), option)).as(name + " " + java.util.Arrays.toString(args))
            .isEqualTo(given && name.equals("--class-agnostic"));
      }
    }
  }

  @Test
  void gridNeighborRowsCarryThePointFlag() throws Exception {
    String heads = new File(DATA, "enhanced/gn_c3_048_reg.npz").getPath();
    Run r = run(heads, "--family", "gridneighbor", "--point-flags", "0,4,8", "--K", "10");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().size()).isBetween(1, 30);
    java.util.Set<Integer> flags = new java.util.TreeSet<>();
    double last = Double.POSITIVE_INFINITY;
    for (JsonNode row : r.json()) {
      assertThat(row.get("score").asDouble()).isPositive().isLessThanOrEqualTo(last);
      last = row.get("score").asDouble();
      assertThat(row.get("box")).hasSize(4);
      assertThat(row.get("class").asInt()).isBetween(0, 2);
      flags.add(row.get("point").asInt());
    }
    assertThat(flags).containsExactly(0, 4, 8);
    // the upstream default flags 0, 4, 8 when none are given; the centered box of the upstream decoder on request
    Run defaults = run(heads, "--family", "GRIDNEIGHBOR", "--K", "10", "--box-geometry", "centered");
    assertThat(defaults.code()).as(defaults.err()).isZero();
    assertThat(defaults.json().size()).isEqualTo(r.json().size());

    Run outOfRange = run(heads, "--family", "gridneighbor", "--point-flags", "0,4,9");
    assertThat(outOfRange.code()).isEqualTo(DecodeCommand.EXIT_CONFIG);
    assertThat(outOfRange.err()).contains("point flag 9").contains("0..8");
    Run repeated = run(heads, "--family", "gridneighbor", "--point-flags", "0,4,4");
    assertThat(repeated.code()).isEqualTo(DecodeCommand.EXIT_CONFIG);
    assertThat(repeated.err()).contains("point flag 4 is repeated");
    Run wrongP = run(heads, "--family", "gridneighbor", "--point-flags", "0,8");
    assertThat(wrongP.code()).isEqualTo(DecodeCommand.EXIT_INPUT);
    assertThat(wrongP.err()).contains("'hm' must have C·P channels (P = 2").contains("got 9");
    Run missing = run("src/test/resources/decode/extremenet_one_object.npz", "--family", "gridneighbor");
    assertThat(missing.code()).isEqualTo(DecodeCommand.EXIT_INPUT);
    assertThat(missing.err()).contains("missing head 'hm'");
    Run ctdetHeads = run(new File(DATA, "pose/heads.npz").getPath(), "--family", "gridneighbor");
    assertThat(ctdetHeads.code()).isEqualTo(DecodeCommand.EXIT_INPUT);
    assertThat(ctdetHeads.err()).contains("'hm' must have C·P channels (P = 3").contains("got 1");
  }

  @Test
  void landmarkRowsHaveTheirPointsAndRegOnlyKeepsTheRegressedOnes() throws Exception {
    String heads = new File(DATA, "enhanced/lm_68_full.npz").getPath();
    Run snapped = run(heads, "--family", "landmark", "--K", "10");
    assertThat(snapped.code()).as(snapped.err()).isZero();
    Run regOnly = run(heads, "--family", "LANDMARK", "--K", "10", "--reg-only");
    assertThat(regOnly.code()).as(regOnly.err()).isZero();
    assertThat(snapped.json().size()).isEqualTo(regOnly.json().size()).isPositive();
    int differ = 0;
    for (int i = 0; i < snapped.json().size(); i++) {
      JsonNode a = snapped.json().get(i);
      JsonNode b = regOnly.json().get(i);
      assertThat(a.get("points")).hasSize(68);
      assertThat(a.get("points").get(0)).hasSize(2);
      assertThat(a.get("score").asDouble()).isPositive();
      assertThat(box(a)).containsExactly(box(b));
      for (int j = 0; j < 68; j++) {
        differ += a.get("points").get(j).get(0).asDouble() != b.get("points").get(j).get(0).asDouble() ? 1 : 0;
      }
    }
    assertThat(differ).as(snapped.json().get(0).get("points") + "\n" + regOnly.json().get(0).get("points"))
        .isPositive();
    Run wrongJ = run(heads, "--family", "deepfashion2");
    assertThat(wrongJ.code()).as(wrongJ.err()).isZero(); // J comes from hps, as upstream
    Run cornerHeads = run("src/test/resources/decode/cornernet_one_object.npz", "--family", "landmark");
    assertThat(cornerHeads.code()).isEqualTo(DecodeCommand.EXIT_INPUT);
    assertThat(cornerHeads.err()).contains("missing head 'hm'");
  }

  @Test
  void deepFashion2RowsHaveAllLandmarksAndTheCategoryRange() throws Exception {
    Run r = run(new File(DATA, "enhanced/df2_c13_full.npz").getPath(), "--family", "deepfashion2", "--K", "10");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().size()).isPositive();
    for (JsonNode row : r.json()) {
      assertThat(row.get("points")).hasSize(294);
      int c = row.get("class").asInt();
      assertThat(c).isBetween(0, 12);
      assertThat(row.get("landmarks")).hasSize(2);
      assertThat(row.get("landmarks").get(1).asInt()).isGreaterThan(row.get("landmarks").get(0).asInt());
    }
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static double[] box(JsonNode row) {
    double[] b = new double[4];
    for (int i = 0; i < 4; i++) {
      b[i] = row.get("box").get(i).asDouble();
    }
    return b;
  }

  @Test
  void cornerNetPairsThePlantedCornersFromLogitsByDefault() throws Exception {
    // tools/testdata/make_decode_cli_npz.py: tl (2, 1) + (0.25, 0.5), br (6, 5) + (0.75, 0.125), logits 2 and 3
    Run r = run("src/test/resources/decode/cornernet_one_object.npz", "--family", "CORNERNET", "--num-dets", "5",
        "--K", "10");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json()).hasSize(5);
    JsonNode best = r.json().get(0);
    assertThat(best.get("score").asDouble()).isCloseTo((sigmoid(2) + sigmoid(3)) / 2, within(1e-6));
    assertThat(box(best)).containsExactly(new double[] {2.25, 1.5, 6.75, 5.125}, within(1e-6));
    // background corners (logit -10: a plateau, so every one survives NMS) pair with the real br corner next:
    // tags 0 and 0.2 are within the 0.5 threshold, as in the original
    assertThat(r.json().get(1).get("score").asDouble()).isCloseTo((sigmoid(-10) + sigmoid(3)) / 2, within(1e-6));

    Run triplets = run("src/test/resources/decode/cornernet_one_object.npz", "--family", "CENTERNET_TRIPLETS",
        "--K", "10");
    assertThat(triplets.code()).isEqualTo(DecodeCommand.EXIT_INPUT);
    assertThat(triplets.err()).contains("missing head 'ct_heat'");
  }

  @Test
  void cornerNetNoBorderRejectsPairsWithCornersOnTheMapBorder() throws Exception {
    // tools/testdata/make_decode_cli_npz.py: tl (2, 0) logit 3 on the top row, tl (1, 2) logit 1; br (6, 5) logit 3,
    // br (7, 4) logit 2 on the right column; 8x8 map, no offsets
    String heads = "src/test/resources/decode/cornernet_border.npz";
    Run all = run(heads, "--family", "cornernet", "--K", "10");
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(box(all.json().get(0))).containsExactly(new double[] {2, 0, 6, 5}, within(1e-6));
    assertThat(all.json().get(0).get("score").asDouble()).isCloseTo(sigmoid(3), within(1e-6));

    Run inner = run(heads, "--family", "cornernet", "--K", "10", "--no-border");
    assertThat(inner.code()).as(inner.err()).isZero();
    assertThat(inner.json().size()).isPositive().isLessThan(all.json().size());
    assertThat(box(inner.json().get(0))).containsExactly(new double[] {1, 2, 6, 5}, within(1e-6));
    assertThat(inner.json().get(0).get("score").asDouble()).isCloseTo((sigmoid(1) + sigmoid(3)) / 2, within(1e-6));
    for (JsonNode row : inner.json()) {
      double[] b = box(row);
      assertThat(b[0] > 0 && b[1] > 0 && b[2] < 7 && b[3] < 7).as("off the border: %s", row).isTrue();
    }
    // a pair of the full run that --no-border drops: every such pair has a corner on the border
    long onBorder = 0;
    for (JsonNode row : all.json()) {
      double[] b = box(row);
      if (b[0] == 0 || b[1] == 0 || b[2] == 7 || b[3] == 7) {
        onBorder++;
      }
    }
    assertThat(inner.json().size()).isEqualTo(all.json().size() - onBorder);
  }

  @Test
  void extremeNetGroupsThePlantedPoints() throws Exception {
    // t (8, 2), l (3, 8), b (9, 13), r (12, 7), center (7, 7); no offsets: +0.5 on every point
    Run r = run("src/test/resources/decode/extremenet_one_object.npz", "--family", "extremenet", "--aggr-weight", "0",
        "--K", "10");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json()).hasSize(1);
    JsonNode best = r.json().get(0);
    assertThat(best.get("score").asDouble()).isCloseTo(sigmoid(2), within(1e-6));
    assertThat(box(best)).containsExactly(new double[] {3.5, 2.5, 12.5, 13.5}, within(1e-6));
    double[][] points = {{8.5, 2.5}, {3.5, 8.5}, {9.5, 13.5}, {12.5, 7.5}};
    for (int i = 0; i < 4; i++) {
      assertThat(best.get("points").get(i).get(0).asDouble()).isCloseTo(points[i][0], within(1e-6));
      assertThat(best.get("points").get(i).get(1).asDouble()).isCloseTo(points[i][1], within(1e-6));
    }
  }

  @Test
  void onlyValidRowsAreWrittenOnMapsWithFewerPeaksThanK() throws Exception {
    // a 4x4 map with one peak (tools/testdata/make_decode_cli_npz.py): K = 10 makes the decoder fill nine rows
    // with suppressed cells (score 0)
    File heads = new File("src/test/resources/decode/centernet_one_peak_4x4.npz");
    Run r = run(heads.getPath(), "--family", "centernet", "--K", "10");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json()).hasSize(1);
    JsonNode row = r.json().get(0);
    assertThat(row.get("score").asDouble()).isCloseTo(0.8, within(1e-6));
    // no reg: center at cell + 0.5 = (2.5, 1.5), size 2 x 2
    assertThat(row.get("box").get(0).asDouble()).isCloseTo(1.5, within(1e-6));
    assertThat(row.get("box").get(3).asDouble()).isCloseTo(2.5, within(1e-6));
  }
}
