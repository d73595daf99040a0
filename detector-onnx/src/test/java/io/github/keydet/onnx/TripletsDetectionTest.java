package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.Detection;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.family.Families;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.image.ImageFrame;
import io.github.keydet.core.decode.TripletsDecoder;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.core.nms.Nms;
import io.github.keydet.core.nms.SoftNmsOptions;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.core.post.Postprocessor;
import io.github.keydet.core.family.HeadSpec;
import io.github.keydet.core.spec.ModelSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CenterNet-Triplets through the detector with the flip test and with several scales. The model
 * (tools/testdata/make_pixel_heads_model.py) reads its heads from the image's pixels, so the test plants two
 * objects: A with its center in the image, B whose center only the mirrored run sees. Checked: the detections
 * themselves (A alone without the flip test, A and B with it), and equality with the original's test procedure
 * composed here by hand (the mirror made by flipping the image's pixels, not the input tensor; pairs of every
 * run checked in image pixels against the pooled centers, of scale 1 only with several scales).
 */
class TripletsDetectionTest {
  private static final Path MODEL = Path.of("src/test/resources/pixelheads/triplets_pixel_heads.onnx");
  private static final PostprocessConfig ALL = PostprocessConfig.defaults().withScoreThreshold(0.1f);

  @Test
  void flipTestPoolsBothRunsPairsAndCenters() throws Exception {
    BufferedImage image = planted();
    try (OnnxDetector plain = detector(false, List.of(1.0));
        OnnxDetector flip = detector(true, List.of(1.0))) {
      ModelSpec spec = flip.spec();
      TripletsDecoder triplets = (TripletsDecoder) Families.of(spec.family()).decoder(spec, DecodeOptions.defaults());
      PreparedInput in = plain.preprocessor().prepare(image);
      PreparedInput mirrorIn = plain.preprocessor().prepare(mirror(image));
      ImageFrame frame = new ImageFrame(in.transforms().get(0), spec.stride());
      Heads heads = heads(plain, spec, in);
      int mapWidth = heads.view("tl_heat").width();
      TripletsDecoder.Run original = triplets.run(heads, 0, frame);
      TripletsDecoder.Run mirrored = triplets.run(heads(plain, spec, mirrorIn), 0, frame).mirrored(mapWidth);

      List<List<Candidate>> kept = triplets.match(List.of(original, mirrored), List.of(original, mirrored));
      List<Candidate> merged = new ArrayList<>(kept.get(0));
      merged.addAll(kept.get(1));
      merged.sort((a, b) -> Float.compare(b.score(), a.score()));
      Postprocessor post = Families.of(spec.family()).postprocessor(ALL, null);
      List<Detection> expected = post.process(merged, spec.stride(), in.transforms().get(0), spec::label);

      List<Detection> got = flip.detect(image).detections();
      assertThat(got).isEqualTo(expected);
      // B (36, 4)-(56, 24) px with the mirror's center (48, 12) first (its center is the stronger), then A
      // (8, 12)-(36, 44) px with its own center (24, 28)
      float pair = (sigmoid(12.7) + sigmoid(7.2)) / 2f;
      assertThat(got).hasSize(2);
      assertThat(box(got.get(0))).containsExactly(36f, 4f, 56f, 24f);
      assertThat(got.get(0).score()).isCloseTo((pair * 2 + sigmoid(10.2)) / 3, within(1e-6f));
      assertThat(got.get(0).keypoints().get(0).x()).isEqualTo(48f);
      assertThat(got.get(0).keypoints().get(0).y()).isEqualTo(12f);
      assertThat(box(got.get(1))).containsExactly(8f, 12f, 36f, 44f);
      assertThat(got.get(1).score()).isCloseTo((pair * 2 + sigmoid(9.2)) / 3, within(1e-6f));
      assertThat(got.get(1).keypoints().get(0).x()).isEqualTo(24f);
      // and without the flip test, the single run against its own centers
      List<Detection> single = post.process(
          triplets.match(List.of(original), List.of(original)).get(0), spec.stride(), in.transforms().get(0),
          spec::label);
      List<Detection> alone = plain.detect(image).detections();
      assertThat(alone).isEqualTo(single);
      assertThat(alone).hasSize(1);
      assertThat(box(alone.get(0))).containsExactly(8f, 12f, 36f, 44f);
    }
  }

  @Test
  void severalScalesCheckEveryScalesPairsAgainstTheCentersOfScaleOne() throws Exception {
    BufferedImage image = planted();
    List<Double> scales = List.of(0.5, 1.0, 1.5);
    try (OnnxDetector multi = detector(false, scales)) {
      ModelSpec spec = multi.spec();
      TripletsDecoder triplets = (TripletsDecoder) Families.of(spec.family()).decoder(spec, DecodeOptions.defaults());
      List<TripletsDecoder.Run> runs = new ArrayList<>();
      List<PreparedInput> inputs = new ArrayList<>();
      TripletsDecoder.Run atOne = null;
      for (double scale : scales) {
        PreparedInput in = multi.preprocessor().prepare(List.of(image), scale);
        TripletsDecoder.Run run =
            triplets.run(heads(multi, spec, in), 0, new ImageFrame(in.transforms().get(0), spec.stride()));
        runs.add(run);
        inputs.add(in);
        if (scale == 1.0) {
          atOne = run;
        }
      }
      List<List<Candidate>> kept = triplets.match(runs, List.of(atOne));
      Postprocessor post = Families.of(spec.family()).postprocessor(ALL, null);
      List<Detection> merged = new ArrayList<>();
      for (int k = 0; k < runs.size(); k++) {
        merged.addAll(post.toDetections(
            kept.get(k), spec.stride(), inputs.get(k).transforms().get(0), spec::label, Float.MIN_VALUE));
      }
      List<Detection> expected = post.select(Nms.softNms(merged, SoftNmsOptions.centerNetDefault(), true));

      List<Detection> got = multi.detect(image).detections();
      assertThat(got).isEqualTo(expected);
      // Independently of the calls above: A at scale 1 is the best detection, with its planted box and the score
      // of its planted logits (the other scales resample the pixels, which cannot raise a peak, and soft-NMS
      // leaves the best box of a cluster as it is)
      float pair = (sigmoid(12.7) + sigmoid(7.2)) / 2f;
      assertThat(box(got.get(0))).containsExactly(8f, 12f, 36f, 44f);
      assertThat(got.get(0).score()).isCloseTo((pair * 2 + sigmoid(9.2)) / 3, within(1e-6f));
      assertThat(got.get(0).keypoints().get(0).x()).isEqualTo(24f);
      // A, found at scale 1, survives the merge (B needs the mirror, which this detector does not run)
      assertThat(got).anySatisfy(d -> assertThat(box(d)).containsExactly(8f, 12f, 36f, 44f));
      assertThat(got).noneSatisfy(d -> assertThat(box(d)).containsExactly(36f, 4f, 56f, 24f));
      for (Detection d : got) {
        assertThat(d.box().x1()).isBetween(0f, (float) image.getWidth());
        assertThat(d.box().x2()).isBetween(0f, (float) image.getWidth());
      }
    }
  }

  /**
   * The planted image (see the model's script for the pixel code; logit = (p - 128) / 10, tag likewise). A: tl
   * cell (2, 3) logit 12.7, br cell (9, 11) logit 7.2, tags 5, center cell (6, 7) logit 9.2. B: tl (9, 1), br
   * (14, 6), tags -5, no center; the mirrored run reads a center (logit 10.2) at its cell (4, 3) from column 3 of
   * block (11, 3), which mirrors back to cell 16 - 4 = 12, inside B's central region 10.67 .. 12.33.
   */
  private static BufferedImage planted() {
    BufferedImage im = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        im.setRGB(x, y, 128 << 8); // heat logits -12.8, tags 0, offsets 0
      }
    }
    // Every center counts, however weak (the original pools top-K centers by rank, not by score): background
    // centers at -11.8 fill the image's top 70, and the four cells of B's central region get -12.8 so that none
    // of them is among the image's own centers.
    for (int cy = 0; cy < 16; cy++) {
      for (int cx = 0; cx < 16; cx++) {
        boolean inB = (cx == 11 || cx == 12) && (cy == 3 || cy == 4);
        setRed(im, cx, cy, 1, 0, inB ? 0 : 10);
      }
    }
    setRed(im, 2, 3, 0, 0, 255);
    setGreen(im, 2, 3, 0, 0, 178);
    setRed(im, 9, 11, 0, 1, 200);
    setGreen(im, 9, 11, 0, 1, 178);
    setRed(im, 6, 7, 1, 0, 220);
    setRed(im, 9, 1, 0, 0, 255);
    setGreen(im, 9, 1, 0, 0, 78);
    setRed(im, 14, 6, 0, 1, 200);
    setGreen(im, 14, 6, 0, 1, 78);
    setRed(im, 11, 3, 1, 3, 230);
    return im;
  }

  private static void setRed(BufferedImage im, int cellX, int cellY, int row, int col, int value) {
    int x = 4 * cellX + col;
    int y = 4 * cellY + row;
    im.setRGB(x, y, (im.getRGB(x, y) & 0x00ffff) | value << 16);
  }

  private static void setGreen(BufferedImage im, int cellX, int cellY, int row, int col, int value) {
    int x = 4 * cellX + col;
    int y = 4 * cellY + row;
    im.setRGB(x, y, (im.getRGB(x, y) & 0xff00ff) | value << 8);
  }

  private static float sigmoid(double logit) {
    return (float) (1 / (1 + Math.exp(-logit)));
  }

  private static float[] box(Detection d) {
    return new float[] {d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2()};
  }

  private static OnnxDetector detector(boolean flip, List<Double> scales) {
    return OnnxDetector.builder().setModel(MODEL).optProvider(ExecutionProvider.cpu()).optPostprocess(ALL)
        .optFlipTest(flip).optScales(scales).optSoftNms(SoftNmsOptions.centerNetDefault()).build();
  }

  private static Heads heads(OnnxDetector d, ModelSpec spec, PreparedInput in) {
    Map<String, RawTensor> raw = d.runRaw(in, new LinkedHashSet<>());
    Map<String, org.nd4j.linalg.api.ndarray.INDArray> arrays = new LinkedHashMap<>();
    for (HeadSpec head : Families.of(spec.family()).heads(spec)) {
      RawTensor t = raw.get(spec.outputName(head.name()));
      if (t != null) {
        arrays.put(head.name(), Nd4j.create(t.data(), t.shape(), 'c'));
      }
    }
    return Heads.nchw(arrays);
  }

  private static BufferedImage mirror(BufferedImage image) {
    int w = image.getWidth();
    BufferedImage out = new BufferedImage(w, image.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < w; x++) {
        out.setRGB(w - 1 - x, y, image.getRGB(x, y));
      }
    }
    return out;
  }
}
