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
 * and Gaussian blobs where a trained model puts its peaks): GridNeighbor with COCO's 80 classes and flags 0, 4, 8
 * (hm 240 channels, 3 blobs each), K 100; 300W landmarks for 30 faces (1 class, 68 landmarks, hm_hp and
 * hp_offset, 30 blobs in every channel), K 100; DeepFashion2 (13 classes, 294 landmarks), K 40, for 30 garments.
 *
 * <p>DeepFashion2 heads as its training targets ({@code cloth_landmark.py}) make them: a garment of category c has
 * its center in {@code hm} channel c and its landmarks in c's own slice of the 294 {@code hm_hp} channels only
 * (DeepFashion2's {@code landmark_split}), so 30 garments light up about 700 of the 294·30 channel-blobs a dense
 * head would hold. {@link #deepFashion2DecodeEveryChannel} keeps the dense case as a stress test: 30 blobs in each
 * of the 294 landmark channels (8820 landmark peaks), which no image yields.
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
  private static final SyntheticHeads SYNTHETIC = new SyntheticHeads(SIZE);
  /** DeepFashion2's landmarks per category (its {@code landmark_split}; sum 294), in class order. */
  private static final int[] LANDMARKS_PER_CATEGORY = {25, 33, 31, 39, 15, 15, 10, 14, 8, 29, 37, 19, 19};

  private Heads grid;
  private Heads face;
  private Heads cloth;
  private Heads clothEveryChannel;
  private GridNeighborDecoder gridDecoder;
  private MultiPoseDecoder faceDecoder;
  private MultiPoseDecoder clothDecoder;

  @Setup
  public void setUp() {
    Random rnd = new Random(42);
    Map<String, INDArray> g = new LinkedHashMap<>();
    g.put("hm", SYNTHETIC.sparseHeat(rnd, 240, 3));
    g.put("wh", SYNTHETIC.values(rnd, 6, 2, 40));
    g.put("reg", SYNTHETIC.values(rnd, 6, 0, 1));
    grid = Heads.nchw(g);
    gridDecoder = new GridNeighborDecoder(GridNeighborDecoder.Config.defaults());
    face = pose(rnd, 1, 68);
    faceDecoder = new MultiPoseDecoder(MultiPoseDecoder.Config.defaults());
    cloth = garments(rnd, 30);
    clothEveryChannel = pose(rnd, 13, 294);
    clothDecoder = new MultiPoseDecoder(MultiPoseDecoder.Config.defaults().withK(40)
        .withSnapping(JointSnapping.ALWAYS));
  }

  private static Heads pose(Random rnd, int classes, int joints) {
    Map<String, INDArray> m = new LinkedHashMap<>();
    m.put("hm", SYNTHETIC.sparseHeat(rnd, classes, 30));
    m.put("wh", SYNTHETIC.values(rnd, 2, 4, 40));
    m.put("reg", SYNTHETIC.values(rnd, 2, 0, 1));
    m.put("hps", SYNTHETIC.values(rnd, 2 * joints, -15, 15));
    m.put("hm_hp", SYNTHETIC.sparseHeat(rnd, joints, 30));
    m.put("hp_offset", SYNTHETIC.values(rnd, 2, 0, 1));
    return Heads.nchw(m);
  }

  /**
   * DeepFashion2 heads of {@code count} garments of random categories: each a center blob in its category's
   * {@code hm} channel and one blob within 15 cells of it in each of its category's {@code hm_hp} channels.
   */
  private static Heads garments(Random rnd, int count) {
    float[] hm = SYNTHETIC.noise(rnd, 13);
    float[] hmHp = SYNTHETIC.noise(rnd, 294);
    for (int g = 0; g < count; g++) {
      int category = rnd.nextInt(13);
      int cy = 16 + rnd.nextInt(SIZE - 32);
      int cx = 16 + rnd.nextInt(SIZE - 32);
      SYNTHETIC.blob(hm, category, cy, cx, 0.2f + 0.8f * rnd.nextFloat());
      int first = 0;
      for (int c = 0; c < category; c++) {
        first += LANDMARKS_PER_CATEGORY[c];
      }
      for (int j = first; j < first + LANDMARKS_PER_CATEGORY[category]; j++) {
        int y = cy - 15 + rnd.nextInt(31);
        int x = cx - 15 + rnd.nextInt(31);
        SYNTHETIC.blob(hmHp, j, y, x, 0.2f + 0.8f * rnd.nextFloat());
      }
    }
    Map<String, INDArray> m = new LinkedHashMap<>();
    m.put("hm", SYNTHETIC.nchw(hm, 13));
    m.put("wh", SYNTHETIC.values(rnd, 2, 4, 40));
    m.put("reg", SYNTHETIC.values(rnd, 2, 0, 1));
    m.put("hps", SYNTHETIC.values(rnd, 2 * 294, -15, 15));
    m.put("hm_hp", SYNTHETIC.nchw(hmHp, 294));
    m.put("hp_offset", SYNTHETIC.values(rnd, 2, 0, 1));
    return Heads.nchw(m);
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

  /** DeepFashion2, 13 classes, 294 joints with hm_hp, K 40, 30 garments. */
  @Benchmark
  public List<List<Candidate>> deepFashion2Decode() {
    return clothDecoder.decode(cloth);
  }

  /** DeepFashion2 as {@link #deepFashion2Decode}, on the dense stress heads: 30 blobs in every channel. */
  @Benchmark
  public List<List<Candidate>> deepFashion2DecodeEveryChannel() {
    return clothDecoder.decode(clothEveryChannel);
  }
}
