package io.github.keydet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.decode.CenterNetDecoder;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.decode.LtrbDecoder;
import io.github.keydet.core.decode.Rows;
import io.github.keydet.core.image.ImageTransform;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.onnx.OnnxDetector;
import io.github.keydet.onnx.RawTensor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The key acceptance test: the Java {@link LtrbDecoder} on the default graph's {@code tower_0/keypoints} and
 * {@code tower_0/wh} reproduces the graph's own decoder output {@code tower_0/detections} row for row, and
 * the Java letterbox reproduces the reference input.
 */
class DecoderVsGraphTest {
  private static final String HM = "tower_0/keypoints";
  private static final String WH = "tower_0/wh";
  private static final String DETS = "tower_0/detections";
  private static OnnxDetector detector;

  @BeforeAll
  static void load() {
    detector = DefaultModelFixtures.builder().build();
  }

  @AfterAll
  static void close() {
    detector.close();
  }

  /** Decodes the run's heads in Java and compares with the graph's detections; returns the max coordinate diff. */
  private static double compare(String what, PreparedInput input) {
    Map<String, RawTensor> out = detector.runRaw(input, Set.of(HM, WH, DETS));
    RawTensor hm = out.get(HM);
    RawTensor wh = out.get(WH);
    RawTensor dets = out.get(DETS);
    assertThat(hm.shape()).containsExactly(1, 128, 128, 80);
    assertThat(wh.shape()).containsExactly(1, 128, 128, 4);
    assertThat(dets.shape()).containsExactly(1, 100, 6);
    LtrbDecoder decoder = new LtrbDecoder(
        new CenterNetDecoder.Config(100, 3, Activation.PROBABILITIES, Layout.NHWC), 4);
    List<Candidate> decoded = decoder.decode(
            HeadView.of("hm", hm.data(), hm.shape(), Layout.NHWC), HeadView.of("ltrb", wh.data(), wh.shape(), Layout.NHWC))
        .get(0);
    float[][] expected = new float[100][6];
    for (int i = 0; i < 100; i++) {
      System.arraycopy(dets.data(), i * 6, expected[i], 0, 6);
    }
    // boxes in cells x 4 = input pixels (exact: power-of-two stride)
    double diff = Rows.assertSameRows(expected, Rows.of(decoded, 4f), 1e-4);
    System.out.printf("decoder vs graph on %s: 100 rows matched, max coordinate diff %.3g, top score %.4f%n",
        what, diff, expected[0][4]);
    return diff;
  }

  @Test
  void javaDecoderEqualsGraphDetectionsOnReferenceInput() {
    INDArray ref = DefaultModelFixtures.npy("coffee.input.npy");
    assertThat(ref.shape()).containsExactly(1, 512, 512, 3);
    PreparedInput input = new PreparedInput(
        ref.dup('c').data().asFloat(), ref.shape(), List.of(new ImageTransform(1, 1, 0, 0, 512, 512)));
    compare("coffee.input.npy", input);
  }

  @Test
  void javaDecoderEqualsGraphDetectionsOnJavaPreprocessedSamples() {
    for (String name : DefaultModelFixtures.NAMES) {
      compare(name + ".png (Java letterbox)", detector.preprocessor().prepare(DefaultModelFixtures.sample(name)));
    }
  }

  @Test
  void graphOnReferenceInputReproducesReferenceDetections() {
    // The committed reference rows came from onnxruntime-node; this runtime gives the same rows up to float noise.
    INDArray ref = DefaultModelFixtures.npy("coffee.input.npy");
    PreparedInput input = new PreparedInput(
        ref.dup('c').data().asFloat(), ref.shape(), List.of(new ImageTransform(1, 1, 0, 0, 512, 512)));
    float[] dets = detector.runRaw(input, Set.of(DETS)).get(DETS).data();
    float[][] refRows = DefaultModelFixtures.npy("coffee.detections.npy").reshape(100, 6).toFloatMatrix();
    double maxScore = 0;
    double maxCoord = 0;
    for (int i = 0; i < 100; i++) {
      assertThat(dets[i * 6 + 5]).as("class of row %d", i).isEqualTo(refRows[i][5]);
      maxScore = Math.max(maxScore, Math.abs(dets[i * 6 + 4] - refRows[i][4]));
      for (int q = 0; q < 4; q++) {
        maxCoord = Math.max(maxCoord, Math.abs(dets[i * 6 + q] - refRows[i][q]));
      }
    }
    System.out.printf("ORT Java vs reference coffee.detections.npy: max score diff %.3g, max coord diff %.3g%n",
        maxScore, maxCoord);
    assertThat(maxScore).isLessThan(1e-5);
    assertThat(maxCoord).isLessThan(1e-2);
  }

  @Test
  void javaLetterboxOfCoffeeEqualsReferenceInput() {
    INDArray ref = DefaultModelFixtures.npy("coffee.input.npy");
    float[] expected = ref.dup('c').data().asFloat();
    PreparedInput input = detector.preprocessor().prepare(DefaultModelFixtures.sample("coffee"));
    assertThat(input.shape()).containsExactly(1, 512, 512, 3);
    float[] actual = input.data();
    assertThat(actual.length).isEqualTo(expected.length);
    double max = 0;
    int worst = -1;
    for (int i = 0; i < actual.length; i++) {
      double d = Math.abs(actual[i] - expected[i]);
      if (d > max) {
        max = d;
        worst = i;
      }
    }
    System.out.printf("letterbox coffee.png vs coffee.input.npy: max abs diff %.3g (at %d)%n", max, worst);
    assertThat(max).as("max abs difference (values 0..255)").isLessThanOrEqualTo(1e-3);
  }
}
