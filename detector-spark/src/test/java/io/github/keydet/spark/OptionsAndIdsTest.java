package io.github.keydet.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidConfigException;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** {@link DetectionOptions} checks and serialisation, and the CLI's image-id rule in {@link CocoResults}. */
class OptionsAndIdsTest {
  @Test
  void optionsRefuseValuesOutOfRange() {
    assertThatThrownBy(() -> DetectionOptions.builder().optScoreThreshold(1.5f).build())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("[0, 1], got 1.5");
    assertThatThrownBy(() -> DetectionOptions.builder().optNmsIou(0).build())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("(0, 1], got 0.0");
    assertThatThrownBy(() -> DetectionOptions.builder().optMaxDetections(0).build())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining(">= 1, got 0");
    assertThatThrownBy(() -> DetectionOptions.builder().optIntraOpThreads(-1).build())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("got -1");
  }

  @Test
  void optionsSurviveJavaSerialisationAsSparkShipsThem() throws Exception {
    DetectionOptions o = DetectionOptions.builder().optModel("pose").optScoreThreshold(0.25f).optFlipTest(true).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in = new ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(o); // equal options: the executor's holder key finds the same detector
    }
  }

  @Test
  void imageIdsAreTheDigitsEndingTheStemElseTheIndex() {
    assertThat(CocoResults.imageId("file:/data/000000397133.jpg", 5)).isEqualTo(397133L);
    assertThat(CocoResults.imageId("hdfs://nn/x/frame_12.png", 5)).isEqualTo(12L);
    assertThat(CocoResults.imageId("file:/data/astronaut.png", 5)).isEqualTo(5L);
    assertThat(CocoResults.imageId("file:/data/12b.png", 2)).isEqualTo(2L);
  }
}
