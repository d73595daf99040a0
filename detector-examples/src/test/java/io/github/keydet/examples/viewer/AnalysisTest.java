package io.github.keydet.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.ImageInputs;
import io.github.keydet.core.image.ImageTransform;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.examples.Annotator;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import io.github.keydet.onnx.RawTensor;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The default model's heat-map view: its family's heat map is offered, and the overlay at the strongest cell (found
 * here in the model's own raw output, [1, 128, 128, 80] NHWC, already sigmoid) has that class's colour x the heat.
 */
class AnalysisTest {
  @Test
  void theOverlayAtTheStrongestCellHasItsClassColour() {
    BufferedImage image = ImageInputs.read(Path.of("samples", "astronaut.png"));
    try (OnnxDetector detector = OnnxDetector.builder().setModel(BundledModels.COCO.bytes(), "coco")
        .optProvider(ExecutionProvider.cpu()).build()) {
      List<String> heads = Analysis.heatmapHeads(detector);
      assertThat(heads).hasSize(1);
      Analysis a = Analysis.of(detector, image, 0.05f, heads.get(0));
      assertThat(a.heatHead()).isEqualTo(heads.get(0));
      assertThat(a.detections().all()).isNotEmpty();
      assertThat(a.heatOverlay().getWidth()).isEqualTo(512);

      String output = detector.spec().outputName(heads.get(0));
      PreparedInput input = detector.preprocessor().prepare(image);
      RawTensor heat = detector.runRaw(input, Set.of(output)).get(output);
      assertThat(heat.shape()).containsExactly(1, 128, 128, 80);
      int best = 0;
      for (int i = 1; i < heat.data().length; i++) {
        if (heat.data()[i] > heat.data()[best]) {
          best = i;
        }
      }
      int c = best % 80;
      int x = (best / 80) % 128;
      int y = best / 80 / 128;
      float v = heat.data()[best];
      ImageTransform t = input.transforms().get(0);
      int px = (int) Math.round(t.toImageX(x * 4.0));
      int py = (int) Math.round(t.toImageY(y * 4.0));
      int back = image.getRGB(px, py);
      int over = a.heatOverlay().getRGB(px, py);
      Color col = Annotator.colorOf(c);
      int[] colour = {col.getRed(), col.getGreen(), col.getBlue()};
      for (int k = 0; k < 3; k++) {
        int shift = 16 - 8 * k;
        double expected = 0.3 * ((back >> shift) & 0xff) + 0.7 * v * colour[k];
        // the map is bilinear between cells and other classes may be brighter in some channel: within 12 levels
        assertThat((double) ((over >> shift) & 0xff)).as("channel %d at (%d, %d), class %d heat %.3f", k, px, py, c, v)
            .isBetween(expected - 12, expected + 12 + 0.7 * 255 * 0.05);
      }
    }
  }
}
