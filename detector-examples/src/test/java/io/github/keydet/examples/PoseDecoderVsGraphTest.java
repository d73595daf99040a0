package io.github.keydet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.ImageInputs;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.TfodPoseDecoder;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import io.github.keydet.onnx.RawTensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pose model's acceptance test: the Java {@link TfodPoseDecoder} on the six raw heads of MoveNet MultiPose
 * reproduces the graph's own decoder output {@code Identity} [1, 6, 56] (6 people x (17 x (y, x, score), ymin,
 * xmin, ymax, xmax, score), normalised by the 256 input) row for row, on real photographs of people (public
 * domain / CC0, see src/test/resources/pose/LICENSE.md) preprocessed by the Java letterbox.
 */
class PoseDecoderVsGraphTest {
  private static final List<String> HEADS =
      List.of("center_0", "box_scale_0", "box_offset_0", "kpt_heatmap_0", "kpt_regress_0", "kpt_offset_0");
  private static final String DECODED = "Identity";
  private static final List<Path> PHOTOS = List.of(
      Path.of("samples/astronaut.png"),
      Path.of("src/test/resources/pose/camera.jpg"),
      Path.of("src/test/resources/pose/grace_hopper.jpg"),
      Path.of("src/test/resources/pose/pair.jpg"),
      Path.of("src/test/resources/pose/trio.jpg"));
  private static OnnxDetector detector;

  @BeforeAll
  static void load() {
    detector = BundledModels.builder("pose").optProvider(ExecutionProvider.cpu()).build();
  }

  @AfterAll
  static void close() {
    detector.close();
  }

  @Test
  void javaDecoderEqualsGraphRowsOnFivePhotosOfPeople() {
    int confident = 0;
    for (Path photo : PHOTOS) {
      PreparedInput input = detector.preprocessor().prepare(ImageInputs.read(photo));
      Set<String> names = new java.util.HashSet<>(HEADS);
      names.add(DECODED);
      Map<String, RawTensor> out = detector.runRaw(input, names);
      RawTensor graph = out.get(DECODED);
      assertThat(graph.shape()).containsExactly(1, 6, 56);
      HeadView[] v = new HeadView[HEADS.size()];
      for (int i = 0; i < v.length; i++) {
        RawTensor t = out.get(HEADS.get(i));
        v[i] = HeadView.of(HEADS.get(i), t.data(), t.shape(), Layout.NHWC);
      }
      TfodPoseDecoder decoder =
          new TfodPoseDecoder(TfodPoseDecoder.Config.movenet(6, Activation.PROBABILITIES, Layout.NHWC));
      List<Candidate> people = decoder.decode(v[0], v[1], v[2], v[3], v[4], v[5]).get(0);
      assertThat(people).hasSize(6);
      double maxDiff = 0;
      for (int i = 0; i < 6; i++) {
        float[] row = new float[56];
        System.arraycopy(graph.data(), i * 56, row, 0, 56);
        Candidate c = people.get(i);
        String what = photo.getFileName() + " person " + i;
        // cells x 4 / 256 = the graph's normalised coordinates (exact: powers of two)
        for (int j = 0; j < 17; j++) {
          maxDiff = Math.max(maxDiff, check(what + " joint " + j + " y", row[3 * j], c.points()[2 * j + 1] / 64f));
          maxDiff = Math.max(maxDiff, check(what + " joint " + j + " x", row[3 * j + 1], c.points()[2 * j] / 64f));
          maxDiff = Math.max(maxDiff, check(what + " joint " + j + " score", row[3 * j + 2], c.pointScores()[j]));
        }
        maxDiff = Math.max(maxDiff, check(what + " ymin", row[51], c.y1() / 64f));
        maxDiff = Math.max(maxDiff, check(what + " xmin", row[52], c.x1() / 64f));
        maxDiff = Math.max(maxDiff, check(what + " ymax", row[53], c.y2() / 64f));
        maxDiff = Math.max(maxDiff, check(what + " xmax", row[54], c.x2() / 64f));
        maxDiff = Math.max(maxDiff, check(what + " score", row[55], c.score()));
        if (row[55] > 0.2f) {
          confident++;
        }
      }
      System.out.printf("pose decoder vs graph on %s: 6 rows x 56 values, max diff %.3g, best person %.3f%n",
          photo.getFileName(), maxDiff, graph.data()[55]);
    }
    // the graph finds (score > 0.2) the one person of each single-person photo, both people of pair.jpg and two of
    // trio.jpg's three (its small astronaut scores 0.16): the rows compared above are real detections
    assertThat(confident).isGreaterThanOrEqualTo(7);
  }

  private static double check(String what, float expected, float actual) {
    double d = Math.abs(expected - actual);
    assertThat(d).as(what + ": graph " + expected + ", Java " + actual).isLessThanOrEqualTo(2e-5);
    return d;
  }
}
