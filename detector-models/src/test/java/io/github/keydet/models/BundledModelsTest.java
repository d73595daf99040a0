package io.github.keydet.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.onnx.OnnxDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BundledModelsTest {
  private static final Path ASTRONAUT = Path.of("../detector-examples/samples/astronaut.png");

  @Test
  void everyListedModelHasItsFileAndLicenceNotice() {
    assertThat(BundledModels.list()).isNotEmpty().first().isEqualTo(BundledModels.defaultModel());
    for (BundledModel model : BundledModels.list()) {
      byte[] onnx = model.bytes();
      // an ONNX ModelProto starts with field 1 (ir_version, varint): tag byte 0x08
      assertThat(onnx.length).as(model.name()).isGreaterThan(1_000_000);
      assertThat(onnx[0]).as(model.name()).isEqualTo((byte) 0x08);
      assertThat(model.licenceNotice()).as(model.name()).contains(model.fileName()).contains(model.licence());
    }
  }

  @Test
  void namesAndAliasesAreCaseInsensitiveAndUnknownNamesListTheBundledOnes() {
    assertThat(BundledModels.get("COCO")).isSameAs(BundledModels.COCO);
    assertThat(BundledModels.get(" default ")).isSameAs(BundledModels.COCO);
    assertThat(BundledModels.find("nope")).isEmpty();
    assertThatThrownBy(() -> BundledModels.get("nope"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("no bundled model named 'nope'; bundled: coco, pose");
    assertThat(BundledModels.get("MoveNet")).isSameAs(BundledModels.POSE);
  }

  @Test
  void loadByNameDetectsAsTheSameFileLoadedByPath() throws Exception {
    Path file = Files.createTempFile("coco", ".onnx");
    try {
      Files.write(file, BundledModels.COCO.bytes());
      try (OnnxDetector byName = BundledModels.load("coco");
          OnnxDetector byPath = OnnxDetector.builder().setModel(file).build()) {
        DetectionResult a = byName.detect(ASTRONAUT);
        DetectionResult b = byPath.detect(ASTRONAUT);
        assertThat(a.detections()).isEqualTo(b.detections());
        assertThat(a.detections()).extracting(Detection::label).contains("person");
        assertThat(byName.modelInfo().name()).isEqualTo("centernet-mobilenetv3-coco.onnx");
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
