package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.ExtremePointSegmenter;
import io.github.keydet.api.InstanceMask;
import io.github.keydet.api.Keypoint;
import io.github.keydet.core.image.Pixels;
import io.github.keydet.core.segment.DextrCrop;
import io.github.keydet.core.segment.DextrPreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java DEXTR pipeline against ExtremeNet's {@code segment()} with DEXTR's helpers, run on the same images and
 * points with the tiny export's PyTorch twin (tools/testdata/dextr_reference.py, outputs committed): the network
 * input, the 512x512 probabilities, the probabilities pasted into the image, and the thresholded mask (equal run
 * lengths: IoU 1.0). Cases include points on the image border (zero padding), the flip test on and off, and two
 * objects of one image in one batch.
 */
class DextrSegmenterTest {
  private static final Logger LOG = LoggerFactory.getLogger(DextrSegmenterTest.class);
  static final Path DIR = Path.of("src/test/resources/dextr");
  private static final Path SAMPLES = Path.of("../detector-examples/samples");
  private static JsonNode cases;
  private static DextrSegmenter flip;
  private static DextrSegmenter plain;

  @BeforeAll
  static void load() throws IOException {
    cases = new ObjectMapper().readTree(DIR.resolve("cases.json").toFile()).get("cases");
    flip = DextrSegmenter.builder().setModel(DIR.resolve("dextr_tiny.onnx")).optMaxBatch(2).build();
    plain = DextrSegmenter.builder().setModel(DIR.resolve("dextr_tiny.onnx")).optFlipTest(false).build();
  }

  @AfterAll
  static void close() {
    flip.close();
    plain.close();
  }

  static BufferedImage image(String name) {
    try {
      return ImageIO.read(SAMPLES.resolve(name).toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Keypoint> points(JsonNode c) {
    List<Keypoint> p = new ArrayList<>();
    for (JsonNode xy : c.get("points")) {
      p.add(new Keypoint((float) xy.get(0).asDouble(), (float) xy.get(1).asDouble(), 1f));
    }
    return p;
  }

  private static float[] npy(String file) {
    INDArray a = Nd4j.createFromNpyFile(DIR.resolve(file).toFile());
    return a.data().asFloat();
  }

  @Test
  void networkInputEqualsUpstream() {
    DextrPreprocessor pre = new DextrPreprocessor(flip.settings());
    for (JsonNode c : cases) {
      BufferedImage im = image(c.get("image").asText());
      float[] x = new float[pre.inputLength()];
      DextrCrop crop = pre.prepare(Pixels.rgb(im), im.getWidth(), im.getHeight(), points(c), x, 0);
      JsonNode bbox = c.get("bbox");
      assertThat(new int[] {crop.x1(), crop.y1(), crop.x2(), crop.y2()}).as(c.get("name").asText())
          .containsExactly(bbox.get(0).asInt(), bbox.get(1).asInt(), bbox.get(2).asInt(), bbox.get(3).asInt());
      float[] sub = npy(c.get("name").asText() + ".input_sub.npy");
      double rgbDiff = 0;
      double heatDiff = 0;
      int i = 0;
      for (int ch = 0; ch < 4; ch++) {
        for (int y = 3; y < 512; y += 8) {
          for (int xx = 3; xx < 512; xx += 8) {
            double d = Math.abs(x[ch * 512 * 512 + y * 512 + xx] - sub[i++]);
            if (ch < 3) {
              rgbDiff = Math.max(rgbDiff, d);
            } else {
              heatDiff = Math.max(heatDiff, d);
            }
          }
        }
      }
      assertThat(rgbDiff).as("RGB of %s (cv2 cubic resize)", c.get("name")).isEqualTo(0.0);
      assertThat(heatDiff).as("heat of %s", c.get("name")).isLessThanOrEqualTo(1e-4);
      for (int ch = 0; ch < 4; ch++) {
        double sum = 0;
        for (int k = 0; k < 512 * 512; k++) {
          sum += x[ch * 512 * 512 + k];
        }
        double ref = c.get("input_channel_sums").get(ch).asDouble();
        assertThat(Math.abs(sum - ref)).as("channel %d sum of %s", ch, c.get("name"))
            .isLessThanOrEqualTo(ch < 3 ? 0.0 : 1e-6 * Math.abs(ref) + 1e-3);
      }
    }
  }

  @Test
  void masksAndProbabilitiesEqualUpstream() {
    // objects of one image and one flip setting go in one call (batched runs)
    Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
    for (JsonNode c : cases) {
      groups.computeIfAbsent(c.get("image").asText() + c.get("flip").asBoolean(), k -> new ArrayList<>()).add(c);
    }
    int compared = 0;
    for (List<JsonNode> group : groups.values()) {
      BufferedImage im = image(group.get(0).get("image").asText());
      List<List<Keypoint>> pts = new ArrayList<>();
      group.forEach(c -> pts.add(points(c)));
      DextrSegmenter seg = group.get(0).get("flip").asBoolean() ? flip : plain;
      List<DextrSegmenter.Outcome> outs = seg.segmentDetailed(im, pts);
      for (int k = 0; k < group.size(); k++) {
        JsonNode c = group.get(k);
        String name = c.get("name").asText();
        DextrSegmenter.Outcome o = outs.get(k);
        float[] crop = npy(name + ".crop_prob.npy");
        double cropDiff = 0;
        int i = 0;
        for (int y = 1; y < 512; y += 4) {
          for (int x = 1; x < 512; x += 4) {
            cropDiff = Math.max(cropDiff, Math.abs(o.probabilities()[y * 512 + x] - crop[i++]));
          }
        }
        float[] full = npy(name + ".prob_sub.npy");
        double fullDiff = 0;
        i = 0;
        for (int y = 0; y < im.getHeight(); y += 4) {
          for (int x = 0; x < im.getWidth(); x += 4) {
            fullDiff = Math.max(fullDiff, Math.abs(o.patch().at(x, y) - full[i++]));
          }
        }
        assertThat(i).isEqualTo(full.length);
        LOG.info("{}: max |p - p_upstream| crop {} image {}, area {}", name, cropDiff, fullDiff, o.mask().area());
        assertThat(cropDiff).as("512x512 probabilities of %s", name).isLessThanOrEqualTo(1e-4);
        assertThat(fullDiff).as("pasted probabilities of %s", name).isLessThanOrEqualTo(1e-4);
        long[] runs = new long[c.get("mask_runs").size()];
        for (int j = 0; j < runs.length; j++) {
          runs[j] = c.get("mask_runs").get(j).asLong();
        }
        assertThat(o.mask().area()).as("area of %s", name).isEqualTo(c.get("area").asLong());
        assertThat(o.mask().rleCounts()).as("mask runs of %s (IoU 1.0)", name).isEqualTo(runs);
        compared++;
      }
    }
    assertThat(compared).isEqualTo(cases.size());
  }

  @Test
  void segmentAllEqualsOneByOne() {
    JsonNode c0 = cases.get(0);
    JsonNode c3 = cases.get(3);
    BufferedImage im = image(c0.get("image").asText());
    List<InstanceMask> both = flip.segmentAll(im, List.of(points(c0), points(c3)));
    ExtremePointSegmenter api = flip;
    assertThat(both.get(0)).isEqualTo(api.segment(im, points(c0)));
    assertThat(both.get(1)).isEqualTo(api.segment(im, points(c3)));
  }

  @Test
  void concurrentCallersGetTheSameMasksWithOneRunAtATimeOnTheSegmentersThread() throws Exception {
    JsonNode c0 = cases.get(0);
    BufferedImage im = image(c0.get("image").asText());
    InstanceMask alone = plain.segment(im, points(c0));
    java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<InstanceMask>> calls = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        calls.add(callers.submit(() -> plain.segment(im, points(c0))));
      }
      for (java.util.concurrent.Future<InstanceMask> f : calls) {
        assertThat(f.get(120, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(alone);
      }
    } finally {
      callers.shutdownNow();
    }
    assertThat(plain.runSlots().maxConcurrentRuns()).as("default: one run at a time").isEqualTo(1);
    assertThat(plain.runSlots().largestRunThreadCount()).as("4 callers, one run thread").isEqualTo(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DextrSegmenter.builder()
            .setModel(DIR.resolve("dextr_tiny.onnx")).optMaxConcurrentRuns(0).build())
        .isInstanceOf(io.github.keydet.api.InvalidConfigException.class)
        .hasMessage("DEXTR max concurrent runs must be > 0, got 0");
  }
}
