package io.github.keydet.examples.bench;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.CenterNetDecoder;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.decode.LtrbDecoder;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import io.github.keydet.onnx.RawTensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoder micro-benchmarks (JMH).
 *
 * <ul>
 *   <li>{@code ctdet*}: CenterNet ctdet decode of a [1, 80, 128, 128] NCHW heatmap that looks like sigmoid
 *       output (mostly small values, a few dozen Gaussian peaks), wh and reg [1, 2, 128, 128], K = 100,
 *       kernel 3 — from ND4J arrays and from a plain heap array.
 *   <li>{@code ltrbDefaultModel}: the default model's real {@code tower_0/keypoints} [1, 128, 128, 80] and
 *       {@code tower_0/wh} (NHWC) on samples/coffee.png, K = 100.
 * </ul>
 *
 * Run from detector-examples: {@code java -cp <classpath> org.openjdk.jmh.Main DecodeBenchmarks -f 1 -wi 3 -i 5
 * -t 1 -tu us -bm avgt} (or {@code -bm sample} for percentiles).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBenchmarks {
  private static final int C = 80;
  private static final int H = 128;
  private static final int W = 128;

  private INDArray hm;
  private INDArray wh;
  private INDArray reg;
  private float[] hmHeap;
  private float[] whHeap;
  private float[] regHeap;
  private CenterNetDecoder ctdet;
  private float[] keypoints;
  private long[] keypointsShape;
  private float[] ltrb;
  private long[] ltrbShape;
  private LtrbDecoder ltrbDecoder;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Random rnd = new Random(42);
    hmHeap = new float[C * H * W];
    for (int i = 0; i < hmHeap.length; i++) {
      // background logits around -6: sigmoid ~ 0.0025, a long tail up to ~0.05
      hmHeap[i] = (float) (1 / (1 + Math.exp(-(-6 + rnd.nextGaussian()))));
    }
    for (int p = 0; p < 40; p++) {
      int c = rnd.nextInt(C);
      int cy = rnd.nextInt(H);
      int cx = rnd.nextInt(W);
      double peak = 0.2 + 0.75 * rnd.nextDouble();
      double sigma = 1 + 3 * rnd.nextDouble();
      for (int y = Math.max(0, cy - 10); y < Math.min(H, cy + 11); y++) {
        for (int x = Math.max(0, cx - 10); x < Math.min(W, cx + 11); x++) {
          double g = peak * Math.exp(-((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (2 * sigma * sigma));
          int i = (c * H + y) * W + x;
          hmHeap[i] = (float) Math.max(hmHeap[i], g);
        }
      }
    }
    whHeap = new float[2 * H * W];
    regHeap = new float[2 * H * W];
    for (int i = 0; i < whHeap.length; i++) {
      whHeap[i] = 40 * rnd.nextFloat();
      regHeap[i] = rnd.nextFloat();
    }
    hm = Nd4j.create(hmHeap, new long[] {1, C, H, W}, 'c');
    wh = Nd4j.create(whHeap, new long[] {1, 2, H, W}, 'c');
    reg = Nd4j.create(regHeap, new long[] {1, 2, H, W}, 'c');
    ctdet = new CenterNetDecoder(new CenterNetDecoder.Config(100, 3, Activation.PROBABILITIES, Layout.NCHW));

    byte[] model = BundledModels.COCO.bytes();
    Path sample = Path.of("samples/coffee.png");
    if (!Files.exists(sample)) {
      sample = Path.of("detector-examples/samples/coffee.png");
    }
    BufferedImage image = ImageIO.read(sample.toFile());
    try (OnnxDetector d = OnnxDetector.builder().setModel(model, "default").optProvider(ExecutionProvider.cpu())
        .build()) {
      Map<String, RawTensor> out =
          d.runRaw(d.preprocessor().prepare(image), Set.of("tower_0/keypoints", "tower_0/wh"));
      keypoints = out.get("tower_0/keypoints").data();
      keypointsShape = out.get("tower_0/keypoints").shape();
      ltrb = out.get("tower_0/wh").data();
      ltrbShape = out.get("tower_0/wh").shape();
    } catch (RuntimeException e) {
      throw new UncheckedIOException(new IOException("cannot run the default model: " + e.getMessage(), e));
    }
    ltrbDecoder = new LtrbDecoder(new CenterNetDecoder.Config(100, 3, Activation.PROBABILITIES, Layout.NHWC), 4);
  }

  /** ctdet decode from ND4J arrays (the library's entry point), K = 100. */
  @Benchmark
  public List<List<Candidate>> ctdetNd4j() {
    return ctdet.decode(hm, wh, reg);
  }

  /** ctdet decode from plain heap arrays, K = 100. */
  @Benchmark
  public List<List<Candidate>> ctdetHeap() {
    long[] s = {1, C, H, W};
    long[] s2 = {1, 2, H, W};
    return ctdet.decode(
        HeadView.of("hm", hmHeap, s, Layout.NCHW), HeadView.of("wh", whHeap, s2, Layout.NCHW),
        HeadView.of("reg", regHeap, s2, Layout.NCHW));
  }

  /** The default model's real heads (NHWC), K = 100. */
  @Benchmark
  public List<List<Candidate>> ltrbDefaultModel() {
    return ltrbDecoder.decode(
        HeadView.of("hm", keypoints, keypointsShape, Layout.NHWC), HeadView.of("ltrb", ltrb, ltrbShape, Layout.NHWC));
  }
}
