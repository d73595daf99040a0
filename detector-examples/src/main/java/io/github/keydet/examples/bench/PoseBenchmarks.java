package io.github.keydet.examples.bench;

import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.decode.MultiPoseDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CenterNet multi_pose decoding on COCO-sized heads: 1 person class and 17 joints at 128x128 (a 512x512 input),
 * K = 100, one thread. {@code sparse}: low background noise with a few dozen people (what a trained model
 * emits); {@code uniform}: every value uniform in [0, 1) (many peaks, the slow path of the peak NMS).
 *
 * <p>Run: {@code java -cp <classpath> org.openjdk.jmh.Main PoseBenchmarks -f 1 -wi 3 -i 5 -t 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PoseBenchmarks {
  private static final int SIZE = 128;
  private static final int JOINTS = 17;

  @Param({"sparse", "uniform"})
  public String content;

  private Heads heads;
  private MultiPoseDecoder decoder;

  @Setup
  public void setUp() {
    Random rnd = new Random(42);
    boolean sparse = content.equals("sparse");
    Map<String, INDArray> m = new LinkedHashMap<>();
    m.put("hm", heat(rnd, 1, sparse));
    m.put("wh", values(rnd, 2, 4, 40));
    m.put("reg", values(rnd, 2, 0, 1));
    m.put("hps", values(rnd, 2 * JOINTS, -15, 15));
    m.put("hm_hp", heat(rnd, JOINTS, sparse));
    m.put("hp_offset", values(rnd, 2, 0, 1));
    heads = Heads.nchw(m);
    decoder = new MultiPoseDecoder(MultiPoseDecoder.Config.defaults());
  }

  private static INDArray heat(Random rnd, int channels, boolean sparse) {
    float[] v = new float[channels * SIZE * SIZE];
    for (int i = 0; i < v.length; i++) {
      v[i] = sparse ? rnd.nextFloat() * 0.02f : rnd.nextFloat();
    }
    if (sparse) {
      for (int c = 0; c < channels; c++) {
        for (int p = 0; p < 30; p++) {
          int cy = rnd.nextInt(SIZE);
          int cx = rnd.nextInt(SIZE);
          float peak = 0.2f + 0.8f * rnd.nextFloat();
          for (int dy = -3; dy <= 3; dy++) {
            for (int dx = -3; dx <= 3; dx++) {
              int y = cy + dy;
              int x = cx + dx;
              if (y >= 0 && y < SIZE && x >= 0 && x < SIZE) {
                int i = (c * SIZE + y) * SIZE + x;
                v[i] = Math.max(v[i], peak * (float) Math.exp(-(dx * dx + dy * dy) / 4.0));
              }
            }
          }
        }
      }
    }
    return Nd4j.create(v, new long[] {1, channels, SIZE, SIZE}, 'c');
  }

  private static INDArray values(Random rnd, int channels, float lo, float hi) {
    float[] v = new float[channels * SIZE * SIZE];
    for (int i = 0; i < v.length; i++) {
      v[i] = lo + (hi - lo) * rnd.nextFloat();
    }
    return Nd4j.create(v, new long[] {1, channels, SIZE, SIZE}, 'c');
  }

  /** multi_pose decode, 1 class + 17 joints, 128x128, K 100. */
  @Benchmark
  public List<List<Candidate>> multiPoseDecode() {
    return decoder.decode(heads);
  }
}
