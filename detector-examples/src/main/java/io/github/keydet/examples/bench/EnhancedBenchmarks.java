package io.github.keydet.examples.bench;

import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.GridNeighborDecoder;
import io.github.keydet.core.decode.MultiPoseDecoder;
import io.github.keydet.core.decode.MultiPoseDecoder.JointSnapping;
import io.github.keydet.core.heads.Heads;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Enhanced-CenterNet decoders at 128x128 (a 512x512 input), one thread, on sparse heads (low background noise
 * and a few dozen Gaussian blobs per channel, what a trained model emits): GridNeighbor with COCO's 80 classes and
 * flags 0, 4, 8 (hm 240 channels), K 100; 300W landmarks (1 class, 68 landmarks, hm_hp and hp_offset), K 100;
 * DeepFashion2 (13 classes, 294 landmarks), K 40.
 *
 * <p>Run: {@code java -cp <classpath> org.openjdk.jmh.Main EnhancedBenchmarks -f 1 -wi 3 -i 5 -t 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EnhancedBenchmarks {
  private static final int SIZE = 128;

  private Heads grid;
  private Heads face;
  private Heads cloth;
  private GridNeighborDecoder gridDecoder;
  private MultiPoseDecoder faceDecoder;
  private MultiPoseDecoder clothDecoder;

  @Setup
  public void setUp() {
    Random rnd = new Random(42);
    Map<String, INDArray> g = new LinkedHashMap<>();
    g.put("hm", heat(rnd, 240, 3));
    g.put("wh", values(rnd, 6, 2, 40));
    g.put("reg", values(rnd, 6, 0, 1));
    grid = Heads.nchw(g);
    gridDecoder = new GridNeighborDecoder(GridNeighborDecoder.Config.defaults());
    face = pose(rnd, 1, 68);
    faceDecoder = new MultiPoseDecoder(MultiPoseDecoder.Config.defaults());
    cloth = pose(rnd, 13, 294);
    clothDecoder = new MultiPoseDecoder(MultiPoseDecoder.Config.defaults().withK(40)
        .withSnapping(JointSnapping.ALWAYS));
  }

  private static Heads pose(Random rnd, int classes, int joints) {
    Map<String, INDArray> m = new LinkedHashMap<>();
    m.put("hm", heat(rnd, classes, 30));
    m.put("wh", values(rnd, 2, 4, 40));
    m.put("reg", values(rnd, 2, 0, 1));
    m.put("hps", values(rnd, 2 * joints, -15, 15));
    m.put("hm_hp", heat(rnd, joints, 30));
    m.put("hp_offset", values(rnd, 2, 0, 1));
    return Heads.nchw(m);
  }

  private static INDArray heat(Random rnd, int channels, int blobs) {
    float[] v = new float[channels * SIZE * SIZE];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextFloat() * 0.02f;
    }
    for (int c = 0; c < channels; c++) {
      for (int p = 0; p < blobs; p++) {
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
    return Nd4j.create(v, new long[] {1, channels, SIZE, SIZE}, 'c');
  }

  private static INDArray values(Random rnd, int channels, float lo, float hi) {
    float[] v = new float[channels * SIZE * SIZE];
    for (int i = 0; i < v.length; i++) {
      v[i] = lo + (hi - lo) * rnd.nextFloat();
    }
    return Nd4j.create(v, new long[] {1, channels, SIZE, SIZE}, 'c');
  }

  /** GridNeighbor, 80 classes, flags 0, 4, 8, K 100 per flag. */
  @Benchmark
  public List<List<Candidate>> gridNeighborDecode() {
    return gridDecoder.decode(grid);
  }

  /** 300W landmarks, 68 joints with hm_hp, K 100. */
  @Benchmark
  public List<List<Candidate>> landmarkDecode() {
    return faceDecoder.decode(face);
  }

  /** DeepFashion2, 13 classes, 294 joints with hm_hp, K 40. */
  @Benchmark
  public List<List<Candidate>> deepFashion2Decode() {
    return clothDecoder.decode(cloth);
  }
}
