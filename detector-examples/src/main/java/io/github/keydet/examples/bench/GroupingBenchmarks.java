package io.github.keydet.examples.bench;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.CornerNetDecoder;
import io.github.keydet.core.decode.ExtremeGrouping;
import io.github.keydet.core.decode.ExtremeNetDecoder;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.decode.PeakTopK;
import io.github.keydet.core.decode.Peaks;
import io.github.keydet.core.decode.TripletsDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding cost of the CornerNet-family decoders on [1, 80, 128, 128] heads, one thread: CornerNet (K 100),
 * Triplets (K 70), ExtremeNet grouping alone (K 40, 80 classes, peaks given), ExtremeNet decode without and with
 * edge aggregation, and for attribution the shared peak NMS + top-K on one map and the aggregation of one map. Heads are background logits around -6 with 30 objects (logit-2 bumps) of random classes.
 *
 * <p>Run: {@code java -cp <classpath> org.openjdk.jmh.Main GroupingBenchmarks -f 1 -wi 3 -i 5 -t 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GroupingBenchmarks {
  private static final int C = 80;
  private static final int H = 128;
  private static final int W = 128;
  private static final int OBJECTS = 30;

  private Heads corners;
  private Heads extremes;
  private CornerNetDecoder cornerNet;
  private TripletsDecoder triplets;
  private ExtremeNetDecoder extremeNoAggr;
  private ExtremeNetDecoder extremeDefault;
  private Peaks[] extremePeaks;
  private HeadView extremeCenter;
  private HeadView tlHeat;
  private HeadView tHeat;

  @Setup
  public void setup() {
    Random rnd = new Random(1);
    float[][] cornerMaps = {background(rnd), background(rnd), background(rnd)}; // tl, br, ct
    float[][] extremeMaps = {background(rnd), background(rnd), background(rnd), background(rnd), background(rnd)};
    float[] tlTag = new float[H * W];
    float[] brTag = new float[H * W];
    for (int i = 0; i < OBJECTS; i++) {
      int c = rnd.nextInt(C);
      int x1 = rnd.nextInt(W - 24);
      int y1 = rnd.nextInt(H - 24);
      int x2 = x1 + 8 + rnd.nextInt(16);
      int y2 = y1 + 8 + rnd.nextInt(16);
      bump(cornerMaps[0], c, x1, y1);
      bump(cornerMaps[1], c, x2, y2);
      bump(cornerMaps[2], c, (x1 + x2) / 2, (y1 + y2) / 2);
      tlTag[y1 * W + x1] = i;
      brTag[y2 * W + x2] = i;
      bump(extremeMaps[0], c, (x1 + x2) / 2 + 1, y1); // t
      bump(extremeMaps[1], c, x1, (y1 + y2) / 2 - 1); // l
      bump(extremeMaps[2], c, (x1 + x2) / 2 - 1, y2); // b
      bump(extremeMaps[3], c, x2, (y1 + y2) / 2 + 1); // r
      bump(extremeMaps[4], c, (int) ((x1 + x2 + 0.5f) / 2), (int) ((y1 + y2 + 0.5f) / 2));
    }
    Map<String, INDArray> cm = new HashMap<>();
    cm.put("tl_heat", nd(cornerMaps[0], C));
    cm.put("br_heat", nd(cornerMaps[1], C));
    cm.put("ct_heat", nd(cornerMaps[2], C));
    cm.put("tl_tag", nd(tlTag, 1));
    cm.put("br_tag", nd(brTag, 1));
    cm.put("tl_regr", nd(uniform(rnd, 2), 2));
    cm.put("br_regr", nd(uniform(rnd, 2), 2));
    cm.put("ct_regr", nd(uniform(rnd, 2), 2));
    corners = Heads.nchw(cm);
    Map<String, INDArray> em = new HashMap<>();
    String[] names = {"t_heat", "l_heat", "b_heat", "r_heat", "ct_heat"};
    for (int i = 0; i < 5; i++) {
      em.put(names[i], nd(extremeMaps[i], C));
    }
    extremes = Heads.nchw(em);
    cornerNet = new CornerNetDecoder(CornerNetDecoder.Config.defaults());
    triplets = new TripletsDecoder(TripletsDecoder.Config.defaults());
    extremeDefault = new ExtremeNetDecoder(ExtremeNetDecoder.Config.defaults());
    extremeNoAggr = new ExtremeNetDecoder(ExtremeNetDecoder.Config.defaults().withAggrWeight(0));
    extremePeaks = new Peaks[4];
    for (int i = 0; i < 4; i++) {
      HeadView agg = ExtremeGrouping.aggregate(extremes.view(names[i]), 0, Activation.LOGITS, 0.1f, i % 2 == 0);
      extremePeaks[i] = ExtremeGrouping.clampScores(PeakTopK.select(agg, 0, 40, 3, Activation.PROBABILITIES));
    }
    extremeCenter = extremes.view("ct_heat");
    tlHeat = corners.view("tl_heat");
    tHeat = extremes.view("t_heat");
    int groups = extremeGrouping().count();
    int found = extremeNetDecode().get(0).size();
    System.out.println(
        "# CornerNet candidates: " + cornerNetDecode().get(0).size() + ", Triplets: "
            + tripletsDecode().get(0).size() + ", ExtremeNet groups: " + groups + " / " + found);
  }

  private static float[] background(Random rnd) {
    float[] v = new float[C * H * W];
    for (int i = 0; i < v.length; i++) {
      v[i] = -6f + (float) rnd.nextGaussian();
    }
    return v;
  }

  private static float[] uniform(Random rnd, int channels) {
    float[] v = new float[channels * H * W];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextFloat();
    }
    return v;
  }

  /** A peak of logit 2 at (x, y) falling off by 1.5 per cell (3 x 3). */
  private static void bump(float[] map, int c, int x, int y) {
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int yy = y + dy;
        int xx = x + dx;
        if (yy >= 0 && yy < H && xx >= 0 && xx < W) {
          int i = (c * H + yy) * W + xx;
          map[i] = Math.max(map[i], 2f - 1.5f * Math.max(Math.abs(dx), Math.abs(dy)));
        }
      }
    }
  }

  private static INDArray nd(float[] v, int channels) {
    return Nd4j.create(v, new long[] {1, channels, H, W}, 'c');
  }

  @Benchmark
  public List<List<Candidate>> cornerNetDecode() {
    return cornerNet.decode(corners);
  }

  /** The shared peak NMS + top-K on one corner map: CornerNet's decode runs it twice. */
  @Benchmark
  public Peaks peakTopKOneCornerMap() {
    return PeakTopK.select(tlHeat, 0, 100, 3, Activation.LOGITS);
  }

  /** Sigmoid + edge aggregation of the whole of one extreme map (the reference path). */
  @Benchmark
  public HeadView aggregateOneExtremeMap() {
    return ExtremeGrouping.aggregate(tHeat, 0, Activation.LOGITS, 0.1f, true);
  }

  /** Top-K peaks of one aggregated extreme map as the decoder computes them (skipping lines that cannot matter). */
  @Benchmark
  public Peaks aggregatedPeaksOneExtremeMap() {
    return ExtremeGrouping.aggregatedPeaks(tHeat, 0, Activation.LOGITS, 0.1f, true, 40, 3);
  }

  @Benchmark
  public List<List<Candidate>> tripletsDecode() {
    return triplets.decode(corners);
  }

  @Benchmark
  public ExtremeGrouping.Groups extremeGrouping() {
    return ExtremeGrouping.group(
        extremePeaks[0], extremePeaks[1], extremePeaks[2], extremePeaks[3], extremeCenter, 0, Activation.LOGITS,
        0.1f, 0.1f, false, 1000);
  }

  @Benchmark
  public List<List<Candidate>> extremeNetDecodeNoAggregation() {
    return extremeNoAggr.decode(extremes);
  }

  @Benchmark
  public List<List<Candidate>> extremeNetDecode() {
    return extremeDefault.decode(extremes);
  }
}
