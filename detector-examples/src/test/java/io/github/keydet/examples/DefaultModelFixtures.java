package io.github.keydet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.ImageInputs;
import io.github.keydet.models.BundledModels;
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
    return BundledModels.COCO.bytes();
  }

  static OnnxDetector.Builder builder() {
    return OnnxDetector.builder().setModel(bytes(), BundledModels.COCO.fileName())
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
}
