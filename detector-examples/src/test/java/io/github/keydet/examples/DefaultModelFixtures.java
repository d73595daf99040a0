package io.github.keydet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.ImageInputs;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Test helpers around the default model, the samples and the reference data (paths relative to the module). */
final class DefaultModelFixtures {
  static final Path SAMPLES = Path.of("samples");
  static final Path REFERENCE = Path.of("src/test/resources/reference");
  static final List<String> NAMES = List.of("astronaut", "coffee", "chelsea");

  private DefaultModelFixtures() {}

  static byte[] bytes() {
    return DefaultModel.bytes();
  }

  static OnnxDetector.Builder builder() {
    return OnnxDetector.builder().setModel(bytes(), DefaultModel.NAME)
        .optProvider(ExecutionProvider.cpu());
  }

  static BufferedImage sample(String name) {
    return ImageInputs.read(SAMPLES.resolve(name + ".png"));
  }

  static INDArray npy(String file) {
    INDArray a = Nd4j.createFromNpyFile(REFERENCE.resolve(file).toFile());
    assertThat(a.dataType()).as(file + " dtype").isEqualTo(DataType.FLOAT);
    return a;
  }

  static float[][] rows(List<Candidate> candidates, float scale) {
    float[][] rows = new float[candidates.size()][];
    for (int i = 0; i < rows.length; i++) {
      Candidate c = candidates.get(i);
      rows[i] = new float[] {c.x1() * scale, c.y1() * scale, c.x2() * scale, c.y2() * scale, c.score(), c.classId()};
    }
    return rows;
  }

  /**
   * Same row count and score sequence (exactly); each expected row matched by a distinct actual row with the same
   * score and class and coordinates within {@code tol}. Returns the max coordinate difference.
   */
  static double assertSameRows(float[][] expected, float[][] actual, double tol) {
    assertThat(actual.length).as("row count").isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i][4]).as("score of row %d", i).isEqualTo(expected[i][4]);
    }
    boolean[] used = new boolean[actual.length];
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      int best = -1;
      double bestDiff = Double.MAX_VALUE;
      for (int j = 0; j < actual.length; j++) {
        if (used[j] || actual[j][4] != expected[i][4] || actual[j][5] != expected[i][5]) {
          continue;
        }
        double d = 0;
        for (int q = 0; q < 4; q++) {
          d = Math.max(d, Math.abs(actual[j][q] - expected[i][q]));
        }
        if (d < bestDiff) {
          bestDiff = d;
          best = j;
        }
      }
      assertThat(best >= 0 && bestDiff <= tol)
          .as("expected row %d %s matched within %s (closest %s)", i, java.util.Arrays.toString(expected[i]), tol,
              bestDiff)
          .isTrue();
      used[best] = true;
      maxDiff = Math.max(maxDiff, bestDiff);
    }
    return maxDiff;
  }
}
