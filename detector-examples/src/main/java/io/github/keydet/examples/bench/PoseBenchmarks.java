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
  private static final SyntheticHeads SYNTHETIC = new SyntheticHeads(SIZE);

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
    m.put("wh", SYNTHETIC.values(rnd, 2, 4, 40));
    m.put("reg", SYNTHETIC.values(rnd, 2, 0, 1));
    m.put("hps", SYNTHETIC.values(rnd, 2 * JOINTS, -15, 15));
    m.put("hm_hp", heat(rnd, JOINTS, sparse));
    m.put("hp_offset", SYNTHETIC.values(rnd, 2, 0, 1));
    heads = Heads.nchw(m);
    decoder = new MultiPoseDecoder(MultiPoseDecoder.Config.defaults());
  }

  private static INDArray heat(Random rnd, int channels, boolean sparse) {
    return sparse ? SYNTHETIC.sparseHeat(rnd, channels, 30) : SYNTHETIC.values(rnd, channels, 0, 1);
  }

  /** multi_pose decode, 1 class + 17 joints, 128x128, K 100. */
  @Benchmark
  public List<List<Candidate>> multiPoseDecode() {
    return decoder.decode(heads);
  }
}
