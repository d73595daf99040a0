package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.ImageInputs;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.post.PostprocessConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad models, bad images and bad settings each raise a typed exception with a message that names the problem. */
class OnnxDetectorErrorsTest {
  @TempDir Path tmp;

  private static OnnxDetector.Builder tiny(String file) {
    return OnnxDetector.builder().setModel(TinyModels.path(file)).optProvider(ExecutionProvider.cpu())
        .optDecodeOptions(DecodeOptions.defaults().withK(10));
  }

  @Test
  void tinyValidModelRuns() {
    try (OnnxDetector d = tiny("tiny_centernet.onnx").optPostprocess(PostprocessConfig.defaults().withScoreThreshold(0f))
        .build()) {
      assertThat(d.modelInfo().labels()).containsExactly("alpha", "beta", "gamma");
      assertThat(d.modelInfo().inputWidth()).isEqualTo(32);
      DetectionResult r = d.detect(TinyModels.image());
      assertThat(r.detections()).isNotEmpty();
      assertThat(r.imageWidth()).isEqualTo(40);
    }
  }

  @Test
  void modelMissingAnOutput() {
    assertThatThrownBy(() -> tiny("hm_only.onnx").build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("missing output 'wh'")
        .hasMessageContaining("CENTERNET")
        .hasMessageContaining("[hm]");
  }

  @Test
  void headChannelCountsAreCheckedAtBuild() {
    // tiny_centernet.onnx: hm [1, 3, 8, 8], wh [1, 2, 8, 8], reg [1, 2, 8, 8]
    io.github.keydet.core.spec.ModelSpec twoLabels = io.github.keydet.core.spec.ModelSpec.builder()
        .setFamily(io.github.keydet.api.ModelFamily.CENTERNET).optInputSize(32, 32)
        .optLabels(java.util.List.of("alpha", "beta")).build();
    assertThatThrownBy(() -> tiny("tiny_centernet.onnx").optSpec(twoLabels).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("head 'hm'")
        .hasMessageContaining("must have 2 channels")
        .hasMessageContaining("2 labels")
        .hasMessageContaining("3 channels");
    io.github.keydet.core.spec.ModelSpec whFromHm = twoLabels.toBuilder()
        .optLabels(java.util.List.of("alpha", "beta", "gamma")).optHeadName("reg", "hm").build();
    assertThatThrownBy(() -> tiny("tiny_centernet.onnx").optSpec(whFromHm).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("output 'hm' (head 'reg')")
        .hasMessageContaining("must have 2 channels")
        .hasMessageContaining("3 channels");
  }

  @Test
  void builderNullOptionsFailAtOnceNamingTheOption() {
    assertThatThrownBy(() -> OnnxDetector.builder().optProvider(null)).isInstanceOf(InvalidConfigException.class)
        .hasMessage("optProvider must not be null");
    assertThatThrownBy(() -> OnnxDetector.builder().optCalibration(null)).isInstanceOf(InvalidConfigException.class)
        .hasMessage("optCalibration must not be null");
    assertThatThrownBy(() -> OnnxDetector.builder().optDecodeOptions(null))
        .isInstanceOf(InvalidConfigException.class).hasMessage("optDecodeOptions must not be null");
    assertThatThrownBy(() -> OnnxDetector.builder().optScales(java.util.List.of()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("scales");
  }

  @Test
  void filesAreReadWithTheDetectorsImageLoader() throws IOException {
    Path png = tmp.resolve("tiny.png");
    ImageIO.write(TinyModels.image(), "png", png.toFile());
    try (OnnxDetector d = tiny("tiny_centernet.onnx").build()) {
      assertThat(d.detect(png).imageWidth()).isEqualTo(40);
    }
    // 40 x H pixels is above a limit of 100 pixels: refused before decoding, with the size in the message
    try (OnnxDetector d = tiny("tiny_centernet.onnx")
        .optImageLoader(io.github.keydet.api.ImageLoader.builder().optMaxPixels(100).build()).build()) {
      assertThatThrownBy(() -> d.detect(png)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("40x").hasMessageContaining("limit");
      assertThatThrownBy(() -> d.detect(Files.readAllBytes(png))).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("limit");
    }
    assertThatThrownBy(() -> OnnxDetector.builder().optImageLoader(null))
        .isInstanceOf(InvalidConfigException.class).hasMessage("optImageLoader must not be null");
  }

  @Test
  void probabilitiesAboveOneAreATypedErrorNamingTheHead() {
    // hot_heatmap.onnx: hm = sigmoid(pool) + 1, declared PROBABILITIES in its metadata
    try (OnnxDetector d = tiny("hot_heatmap.onnx").build()) {
      assertThatThrownBy(() -> d.detect(TinyModels.image()))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("heatmap 'hm' is declared as probabilities")
          .hasMessageContaining("outside [0, 1]");
    }
  }

  @Test
  void nonFloatHeadsFailAtBuild() {
    assertThatThrownBy(() -> tiny("double_wh.onnx").build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("output 'wh' (head 'wh') is DOUBLE")
        .hasMessageContaining("float32");
  }

  @Test
  void modelWithRank3Input() {
    assertThatThrownBy(() -> tiny("rank3_input.onnx").build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'image'")
        .hasMessageContaining("rank 4")
        .hasMessageContaining("[3, 32, 32]");
  }

  @Test
  void missingAndCorruptModelFiles() throws IOException {
    assertThatThrownBy(() -> OnnxDetector.builder().setModel(tmp.resolve("nope.onnx")).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("model file not found").hasMessageContaining("nope.onnx");
    Path junk = Files.writeString(tmp.resolve("junk.onnx"), "not a model");
    assertThatThrownBy(() -> OnnxDetector.builder().setModel(junk).optProvider(ExecutionProvider.cpu()).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("cannot load model 'junk.onnx'");
    assertThatThrownBy(() -> OnnxDetector.builder().build())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("setModel");
  }

  @Test
  void nanInTheNetworkHeatmap() {
    try (OnnxDetector d = tiny("nan_heatmap.onnx").build()) {
      assertThatThrownBy(() -> d.detect(TinyModels.image()))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("NaN in heatmap 'hm'");
    }
  }

  @Test
  void kMustBePositiveAndFitTheHeatmap() {
    assertThatThrownBy(() -> DecodeOptions.defaults().withK(0))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("K must be > 0, got 0");
    assertThatThrownBy(() -> DecodeOptions.builder().optK(-1)).isInstanceOf(InvalidConfigException.class);
    // the tiny model's heatmap is 8x8 = 64 cells
    try (OnnxDetector d = tiny("tiny_centernet.onnx").optDecodeOptions(DecodeOptions.defaults().withK(65)).build()) {
      assertThatThrownBy(() -> d.detect(TinyModels.image()))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("K = 65 exceeds the 8x8 = 64 cells");
    }
    try (OnnxDetector d = tiny("tiny_centernet.onnx").optDecodeOptions(DecodeOptions.defaults().withK(64)).build()) {
      assertThat(d.detect(TinyModels.image()).detections()).isNotNull();
    }
  }

  @Test
  void badImages() throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(TinyModels.image(), "png", png);
    byte[] good = png.toByteArray();
    byte[] truncated = Arrays.copyOf(good, 60);
    byte[] corrupt = good.clone();
    for (int i = 40; i < corrupt.length - 12; i++) {
      corrupt[i] = (byte) (i * 31);
    }
    try (OnnxDetector d = tiny("tiny_centernet.onnx").build()) {
      assertThat(d.detect(good).imageWidth()).isEqualTo(40);
      assertThatThrownBy(() -> d.detect(truncated))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("corrupt or truncated");
      assertThatThrownBy(() -> d.detect(corrupt))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("corrupt or truncated");
      assertThatThrownBy(() -> d.detect(new byte[0]))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty (0 bytes)");
      Path text = Files.writeString(tmp.resolve("notes.txt"), "hello, I am not an image\n", StandardCharsets.UTF_8);
      assertThatThrownBy(() -> d.detect(text))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("not in a supported format")
          .hasMessageContaining("notes.txt");
      assertThatThrownBy(() -> d.detect(tmp.resolve("missing.png")))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist")
          .hasMessageContaining("missing.png");
      assertThatThrownBy(() -> d.detect((java.awt.image.BufferedImage) null))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("image is null");
    }
    assertThatThrownBy(() -> ImageInputs.read((byte[]) null)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void useAfterClose() {
    OnnxDetector d = tiny("tiny_centernet.onnx").build();
    d.close();
    d.close(); // idempotent
    assertThatThrownBy(() -> d.detect(TinyModels.image()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> d.detectAll(java.util.List.of(TinyModels.image())))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> d.runRaw(d.preprocessor().prepare(TinyModels.image()), Set.of()))
        .isInstanceOf(IllegalStateException.class);
  }
}
