package io.github.keydet.examples.bench;

import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.ImageInputs;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.pipeline.DetectionPipeline;
import io.github.keydet.core.pipeline.Network;
import io.github.keydet.core.pipeline.NetworkRun;
import io.github.keydet.core.spec.ModelSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CornerNet-Saccade's procedure outside the network, for one image with 3 crops: the two first-stage canvases and
 * three crops (preprocessing), CornerNet decoding of 2 + 3 full-size head sets (80 x 64 x 64 corner maps, K 12),
 * attention decoding, location NMS and the soft-NMS merge. The network is a stand-in that returns fixed heads of
 * the full model's shapes (random corner logits; three attention peaks on the first image run, so exactly three
 * crops). Run from the repository root: {@code java -cp "detector-examples/target/keydet.jar:detector-examples/
 * target/lib/*" org.openjdk.jmh.Main SaccadeBenchmarks -f 1 -wi 5 -i 10 -t 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SaccadeBenchmarks {
  private BufferedImage picture;
  private DetectionPipeline pipeline;
  private Network network;

  /** The pipeline, the stand-in network and the image; checks that the search makes three crops. */
  @Setup
  public void setUp() {
    Path samples = Path.of("detector-examples/samples");
    if (!samples.toFile().isDirectory()) {
      samples = Path.of("samples");
    }
    picture = ImageInputs.read(samples.resolve("astronaut.png"));
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      labels.add("class" + i);
    }
    ModelSpec spec = ModelSpec.builder().setFamily(ModelFamily.of("CORNERNET_SACCADE")).optInputSize(255, 255)
        .optLabels(labels).optHeatmaps(io.github.keydet.core.heads.Activation.LOGITS)
        .optMeanStd(new float[] {0.40789654f, 0.44719302f, 0.47026115f},
            new float[] {0.28863828f, 0.27408164f, 0.27809835f}).build();
    pipeline = DetectionPipeline.builder(spec).build();
    Map<Integer, Heads> byBatch = Map.of(2, heads(2, true), 3, heads(3, false));
    List<Integer> batches = new ArrayList<>();
    Network recording = (input, shape) -> {
      batches.add((int) shape[0]);
      Heads h = byBatch.get((int) shape[0]);
      if (h == null) {
        throw new IllegalStateException("unexpected run of " + shape[0] + " inputs after " + batches);
      }
      return new NetworkRun(h, 0, 0, null);
    };
    pipeline.detect(List.of(picture), recording);
    network = new PooledStandIn(byBatch);
    if (!batches.equals(List.of(2, 3))) {
      throw new IllegalStateException("expected a first-stage run of 2 and one of 3 crops, got batches " + batches);
    }
  }

  /** Fixed heads by batch size; one reused input buffer, as ONNX Runtime's runner pools its direct buffers. */
  private static final class PooledStandIn implements Network {
    private final Map<Integer, Heads> byBatch;
    private java.nio.FloatBuffer buffer = java.nio.FloatBuffer.allocate(0);

    PooledStandIn(Map<Integer, Heads> byBatch) {
      this.byBatch = byBatch;
    }

    @Override
    public NetworkRun run(java.nio.FloatBuffer input, long[] shape) {
      return new NetworkRun(byBatch.get((int) shape[0]), 0, 0, null);
    }

    @Override
    public java.nio.FloatBuffer borrowInput(int floats) {
      if (buffer.capacity() < floats) {
        buffer = java.nio.ByteBuffer.allocateDirect(4 * floats).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
      }
      buffer.clear();
      return buffer;
    }
  }

  private static Heads heads(int n, boolean peaks) {
    Random rnd = new Random(n);
    Map<String, HeadView> v = new LinkedHashMap<>();
    // first stage: corner logits too low for boxes above 0.5 (which would add locations); crops: a detector's spread
    double heat = peaks ? -9 : -4;
    v.put("tl_heat", view("tl_heat", n, 80, 64, rnd, heat, 1.5));
    v.put("br_heat", view("br_heat", n, 80, 64, rnd, heat, 1.5));
    v.put("tl_tag", view("tl_tag", n, 1, 64, rnd, 0, 0.5));
    v.put("br_tag", view("br_tag", n, 1, 64, rnd, 0, 0.5));
    v.put("tl_regr", view("tl_regr", n, 2, 64, rnd, 0.5, 0.2));
    v.put("br_regr", view("br_regr", n, 2, 64, rnd, 0.5, 0.2));
    int[] sizes = {16, 32, 64};
    for (int a = 0; a < 3; a++) {
      float[] att = new float[n * sizes[a] * sizes[a]];
      java.util.Arrays.fill(att, -10f);
      if (peaks && a == 2) { // image run 0: three well separated peaks on the small-object map
        for (int[] p : new int[][] {{20, 20}, {40, 30}, {30, 50}}) {
          att[p[0] * 64 + p[1]] = 3f;
        }
      }
      v.put("att" + a, HeadView.of("att" + a, att, new long[] {n, 1, sizes[a], sizes[a]}, Layout.NCHW));
    }
    return Heads.ofViews(v, Layout.NCHW);
  }

  private static HeadView view(String name, int n, int c, int s, Random rnd, double mean, double std) {
    float[] a = new float[n * c * s * s];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (mean + std * rnd.nextGaussian());
    }
    return HeadView.of(name, a, new long[] {n, c, s, s}, Layout.NCHW);
  }

  /** One image: canvases, decoding, locations and merge, network excluded. */
  @Benchmark
  public List<DetectionResult> searchWithThreeCrops() {
    return pipeline.detect(List.of(picture), network);
  }
}
