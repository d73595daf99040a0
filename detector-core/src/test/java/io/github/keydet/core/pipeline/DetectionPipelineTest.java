package io.github.keydet.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.core.spec.ModelSpec;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The test-time pipeline with a fake network whose heads are planted by hand, so every expected box and score
 * is computed here from CenterNet's formulas (center = cell + reg, box = center -/+ wh / 2, times the stride 4)
 * and never from the code under test. The image is 32x32 and the input 32x32, so scale 1 maps input pixels to
 * image pixels one to one.
 */
class DetectionPipelineTest {
  private static final int MAP = 8;
  private static final ModelSpec SPEC = ModelSpec.builder().setFamily(ModelFamily.CENTERNET).optInputSize(32, 32)
      .optHeatmaps(Activation.PROBABILITIES).optLabels(List.of("thing")).build();
  private static final io.github.keydet.core.decode.DecodeOptions K10 =
      io.github.keydet.core.decode.DecodeOptions.defaults().withK(10);
  private static final PostprocessConfig POST = PostprocessConfig.defaults().withScoreThreshold(0.05f);

  /** Left half white, right half black: the fake network tells the mirrored input by its first pixel. */
  private static BufferedImage image() {
    BufferedImage im = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = im.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 16, 32);
    g.dispose();
    return im;
  }

  /** CenterNet heads of batch 1 with one peak. */
  private static Heads heads(int px, int py, float score, float w, float h, float rx, float ry) {
    float[] hm = new float[MAP * MAP];
    float[] wh = new float[2 * MAP * MAP];
    float[] reg = new float[2 * MAP * MAP];
    int at = py * MAP + px;
    hm[at] = score;
    wh[at] = w;
    wh[MAP * MAP + at] = h;
    reg[at] = rx;
    reg[MAP * MAP + at] = ry;
    Map<String, HeadView> views = new LinkedHashMap<>();
    views.put("hm", HeadView.of("hm", FloatBuffer.wrap(hm), new long[] {1, 1, MAP, MAP}, Layout.NCHW));
    views.put("wh", HeadView.of("wh", FloatBuffer.wrap(wh), new long[] {1, 2, MAP, MAP}, Layout.NCHW));
    views.put("reg", HeadView.of("reg", FloatBuffer.wrap(reg), new long[] {1, 2, MAP, MAP}, Layout.NCHW));
    return Heads.ofViews(views, Layout.NCHW);
  }

  private static void assertBox(Detection d, double x1, double y1, double x2, double y2) {
    BoundingBox b = d.box();
    assertThat(b.x1()).isCloseTo((float) x1, within(1e-3f));
    assertThat(b.y1()).isCloseTo((float) y1, within(1e-3f));
    assertThat(b.x2()).isCloseTo((float) x2, within(1e-3f));
    assertThat(b.y2()).isCloseTo((float) y2, within(1e-3f));
  }

  @Test
  void plainRunDecodesAndMapsBack() {
    AtomicInteger runs = new AtomicInteger();
    List<Boolean> released = new ArrayList<>();
    Network net = (input, shape) -> {
      runs.incrementAndGet();
      assertThat(shape).containsExactly(1, 3, 32, 32);
      return new NetworkRun(heads(3, 2, 0.9f, 6, 4, 0.25f, 0.5f), 0, 0, () -> released.add(true));
    };
    DetectionPipeline p = DetectionPipeline.builder(SPEC).optPostprocess(POST).optDecodeOptions(K10).build();
    List<Detection> d = p.detect(List.of(image()), net).get(0).detections();
    // center (3.25, 2.5) cells, size 6 x 4 cells: (0.25, 0.5, 6.25, 4.5) cells = (1, 2, 25, 18) px
    assertThat(d).hasSize(1);
    assertBox(d.get(0), 1, 2, 25, 18);
    assertThat(d.get(0).score()).isEqualTo(0.9f);
    assertThat(d.get(0).label()).isEqualTo("thing");
    assertThat(runs).hasValue(1);
    assertThat(released).containsExactly(true);
  }

  @Test
  void flipTestAveragesTheMirrorsHeadsAtTheMirroredColumn() {
    List<Boolean> mirroredCalls = new ArrayList<>();
    Network net = (input, shape) -> {
      boolean mirrored = input.get(0) < 0; // black (normalised below 0) where the original is white
      mirroredCalls.add(mirrored);
      // the mirror sees the object at column 7 - 3 = 4, weaker and narrower
      Heads h = mirrored ? heads(4, 2, 0.4f, 4, 4, 0.9f, 0.9f) : heads(3, 2, 0.8f, 8, 4, 0.25f, 0.5f);
      return new NetworkRun(h, 0, 0, null);
    };
    DetectionPipeline p = DetectionPipeline.builder(SPEC).optPostprocess(POST).optDecodeOptions(K10).optFlipTest(true).build();
    List<Detection> d = p.detect(List.of(image()), net).get(0).detections();
    assertThat(mirroredCalls).containsExactly(false, true);
    // hm (0.8 + 0.4) / 2; wh ((8 + 4) / 2, (4 + 4) / 2) = (6, 4); reg from the original (0.25, 0.5)
    assertThat(d).hasSize(1);
    assertThat(d.get(0).score()).isCloseTo(0.6f, within(1e-6f));
    assertBox(d.get(0), 1, 2, 25, 18);
  }

  @Test
  void multiScaleMergeMatchesGaussianSoftNmsByHand() {
    AtomicInteger call = new AtomicInteger();
    Network net = (input, shape) -> {
      // scale 1 first (score 0.9), then scale 2 (score 0.7); the same cell and size in both
      float score = call.getAndIncrement() == 0 ? 0.9f : 0.7f;
      return new NetworkRun(heads(3, 2, score, 8, 4, 0.25f, 0.5f), 0, 0, null);
    };
    DetectionPipeline p = DetectionPipeline.builder(SPEC).optPostprocess(POST).optDecodeOptions(K10).optScales(List.of(1.0, 2.0)).build();
    List<Detection> d = p.detect(List.of(image()), net).get(0).detections();
    // input box: center (3.25, 2.5) cells, 8 x 4 cells -> (-3, 2, 29, 18) input px.
    // scale 1: image = input, clipped to the image: (0, 2, 29, 18).
    // scale 2: the image is zoomed 2x about its center, image = (input - 16) / 2 + 16: (6.5, 9, 22.5, 17).
    double[] a = {0, 2, 29, 18};
    double[] b = {6.5, 9, 22.5, 17};
    double inter = (Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * (Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    double iou = inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
    // Gaussian soft-NMS (sigma 0.5): the weaker box decays by exp(-iou^2 / sigma); IoU < 0.5 survives the NMS
    double decayed = 0.7 * Math.exp(-iou * iou / 0.5);
    assertThat(d).hasSize(2);
    assertThat(d.get(0).score()).isEqualTo(0.9f);
    assertBox(d.get(0), a[0], a[1], a[2], a[3]);
    assertThat((double) d.get(1).score()).isCloseTo(decayed, within(1e-5));
    assertBox(d.get(1), b[0], b[1], b[2], b[3]);
  }

  @Test
  void stagesBookTheNetworksOwnTimesPerImage() {
    Network net = (input, shape) -> {
      Heads one = heads(3, 2, 0.9f, 6, 4, 0.25f, 0.5f);
      Heads batch = (int) shape[0] == 1 ? one : twice(one);
      return new NetworkRun(batch, 1_000_000, 5_000_000, null);
    };
    DetectionPipeline plain = DetectionPipeline.builder(SPEC).optPostprocess(POST).optDecodeOptions(K10).build();
    List<DetectionResult> two = plain.detect(List.of(image(), image()), net);
    // one run of 5 ms for two images: 2.5 ms each; input copying (1 ms) is preprocessing
    assertThat(two.get(0).timings().inferenceNanos()).isEqualTo(2_500_000);
    assertThat(two.get(0).timings().preprocessNanos()).isGreaterThanOrEqualTo(500_000);
    assertThat(two.get(1).detections()).hasSize(1);
    DetectionPipeline flip = DetectionPipeline.builder(SPEC).optPostprocess(POST).optDecodeOptions(K10).optFlipTest(true).build();
    DetectionResult r = flip.detect(List.of(image()), net).get(0);
    // two runs (original and mirror) of one image
    assertThat(r.timings().inferenceNanos()).isEqualTo(10_000_000);
    assertThat(r.timings().preprocessNanos()).isGreaterThanOrEqualTo(2_000_000);
  }

  /** The same heads as a batch of 2. */
  private static Heads twice(Heads one) {
    Map<String, HeadView> views = new LinkedHashMap<>();
    for (String name : one.names()) {
      HeadView v = one.view(name);
      int size = v.channels() * v.height() * v.width();
      float[] data = new float[2 * size];
      for (int c = 0; c < v.channels(); c++) {
        for (int y = 0; y < v.height(); y++) {
          for (int x = 0; x < v.width(); x++) {
            float f = v.get(0, c, y, x);
            int at = (c * v.height() + y) * v.width() + x;
            data[at] = f;
            data[size + at] = f;
          }
        }
      }
      views.put(name, HeadView.of(name, FloatBuffer.wrap(data),
          new long[] {2, v.channels(), v.height(), v.width()}, Layout.NCHW));
    }
    return Heads.ofViews(views, Layout.NCHW);
  }

  @Test
  void gridNeighborMergesItsPointBoxesBySoftNmsAtOneScale() {
    // GRIDNEIGHBOR, flags 0 and 4 (P = 2), one class, 16x16 map of a 64x64 input: hm [1, 2, 16, 16], wh and reg
    // [1, 4, 16, 16]. Flag 0 (row 0, col 0) at cell (4, 4) with wh (2, 2): box (4 - 2, 4 - 2, 4 + 3*2, 4 + 3*2) =
    // (2, 2, 10, 10) cells. Flag 4 (the center) at cell (9, 6) with wh (4, 4): box (5, 2, 13, 10) cells.
    ModelSpec spec = ModelSpec.builder().setFamily(ModelFamily.of("GRIDNEIGHBOR")).optInputSize(64, 64)
        .optHeatmaps(Activation.PROBABILITIES).optLabels(List.of("thing")).optGridPoints(List.of(0, 4)).build();
    int m = 16;
    float[] hm = new float[2 * m * m];
    float[] wh = new float[4 * m * m];
    float[] reg = new float[4 * m * m];
    hm[4 * m + 4] = 0.9f;
    wh[4 * m + 4] = 2;
    wh[m * m + 4 * m + 4] = 2;
    hm[m * m + 6 * m + 9] = 0.7f;
    wh[2 * m * m + 6 * m + 9] = 4;
    wh[3 * m * m + 6 * m + 9] = 4;
    Map<String, HeadView> views = new LinkedHashMap<>();
    views.put("hm", HeadView.of("hm", FloatBuffer.wrap(hm), new long[] {1, 2, m, m}, Layout.NCHW));
    views.put("wh", HeadView.of("wh", FloatBuffer.wrap(wh), new long[] {1, 4, m, m}, Layout.NCHW));
    views.put("reg", HeadView.of("reg", FloatBuffer.wrap(reg), new long[] {1, 4, m, m}, Layout.NCHW));
    Network net = (input, shape) -> new NetworkRun(Heads.ofViews(views, Layout.NCHW), 0, 0, null);
    BufferedImage im = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    List<Detection> d = DetectionPipeline.builder(spec).optPostprocess(POST).optDecodeOptions(K10).build()
        .detect(List.of(im), net).get(0).detections();
    // image = input = 4 x cells: (8, 8, 40, 40) and (20, 8, 52, 40); IoU in cells 5 * 8 / (64 + 64 - 40)
    double iou = 40.0 / 88.0;
    assertThat(d).hasSize(2);
    assertBox(d.get(0), 8, 8, 40, 40);
    assertThat(d.get(0).score()).isEqualTo(0.9f);
    assertBox(d.get(1), 20, 8, 52, 40);
    // Gaussian soft-NMS (sigma 0.5) decays the weaker point's box; hard NMS at 0.5 alone would keep it at 0.7
    assertThat((double) d.get(1).score()).isCloseTo(0.7 * Math.exp(-iou * iou / 0.5), within(1e-5));
  }
}
