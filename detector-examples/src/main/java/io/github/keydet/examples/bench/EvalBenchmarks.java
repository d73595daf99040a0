package io.github.keydet.examples.bench;

import io.github.keydet.core.coco.CocoAnnotation;
import io.github.keydet.core.coco.CocoCategory;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoImage;
import io.github.keydet.core.coco.CocoResult;
import io.github.keydet.core.eval.CocoEvalResult;
import io.github.keydet.core.eval.CocoEvaluator;
import io.github.keydet.core.eval.IouType;
import io.github.keydet.core.nms.Nms;
import io.github.keydet.core.nms.NmsResult;
import io.github.keydet.core.nms.SoftNmsMethod;
import io.github.keydet.core.nms.SoftNmsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH benchmarks of suppression and COCO evaluation on synthetic data made in the setup (fixed seeds). Targets:
 * soft-NMS of 1000 boxes &lt;= 2 ms; COCO bbox evaluation of 5000 images x 100 detections &lt;= 10 s on one core.
 * Run: {@code java -cp <examples classpath> io.github.keydet.examples.bench.EvalBenchmarks}.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
public class EvalBenchmarks {

  /** 1000 clustered boxes with random scores. */
  @State(Scope.Benchmark)
  public static class Boxes {
    float[] boxes;
    float[] scores;
    SoftNmsOptions gaussian;
    SoftNmsOptions linear;

    /** Makes the boxes. */
    @Setup(Level.Trial)
    public void setup() {
      Random rnd = new Random(42);
      int n = 1000;
      boxes = new float[4 * n];
      scores = new float[n];
      for (int i = 0; i < n; i++) {
        // 50 clusters in a 512x512 image, so many boxes overlap
        float cx = 20 + (i % 50) * 9.5f + rnd.nextFloat() * 8;
        float cy = 50 + (i % 7) * 60 + rnd.nextFloat() * 8;
        float w = 20 + rnd.nextFloat() * 60;
        float h = 20 + rnd.nextFloat() * 60;
        boxes[4 * i] = cx - w / 2;
        boxes[4 * i + 1] = cy - h / 2;
        boxes[4 * i + 2] = cx + w / 2;
        boxes[4 * i + 3] = cy + h / 2;
        scores[i] = rnd.nextFloat();
      }
      gaussian = SoftNmsOptions.builder().optMethod(SoftNmsMethod.GAUSSIAN).optNt(0.5f).build();
      linear = SoftNmsOptions.builder().optMethod(SoftNmsMethod.LINEAR).optNt(0.5f).build();
    }
  }

  /** 5000 images, 80 categories, about 7 objects and exactly 100 detections per image. */
  @State(Scope.Benchmark)
  public static class Coco {
    CocoDataset gt;
    List<CocoResult> results;

    /** Makes the data set. */
    @Setup(Level.Trial)
    public void setup() {
      Random rnd = new Random(7);
      int images = 5000;
      int cats = 80;
      List<CocoImage> ims = new ArrayList<>();
      List<CocoCategory> cs = new ArrayList<>();
      for (int k = 1; k <= cats; k++) {
        cs.add(new CocoCategory(k, "c" + k));
      }
      List<CocoAnnotation> anns = new ArrayList<>();
      results = new ArrayList<>(images * 100);
      long annId = 1;
      for (int i = 1; i <= images; i++) {
        ims.add(new CocoImage(i, 640, 480, ""));
        int objects = 1 + rnd.nextInt(14);
        List<double[]> boxes = new ArrayList<>();
        List<Integer> boxCats = new ArrayList<>();
        for (int o = 0; o < objects; o++) {
          double w = 5 + rnd.nextDouble() * 200;
          double h = 5 + rnd.nextDouble() * 200;
          double[] b = {rnd.nextDouble() * (640 - w), rnd.nextDouble() * (480 - h), w, h};
          int cat = 1 + rnd.nextInt(cats);
          boolean crowd = rnd.nextInt(50) == 0;
          anns.add(new CocoAnnotation(annId++, i, cat, b, w * h, crowd, null));
          boxes.add(b);
          boxCats.add(cat);
        }
        for (int d = 0; d < 100; d++) {
          double[] b;
          int cat;
          if (d < 3 * objects) {
            double[] g = boxes.get(d % objects);
            b = new double[] {
              g[0] + rnd.nextGaussian() * 0.1 * g[2], g[1] + rnd.nextGaussian() * 0.1 * g[3],
              g[2] * (0.8 + 0.4 * rnd.nextDouble()), g[3] * (0.8 + 0.4 * rnd.nextDouble())
            };
            cat = rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(cats) : boxCats.get(d % objects);
          } else {
            double w = 5 + rnd.nextDouble() * 200;
            double h = 5 + rnd.nextDouble() * 200;
            b = new double[] {rnd.nextDouble() * (640 - w), rnd.nextDouble() * (480 - h), w, h};
            cat = 1 + rnd.nextInt(cats);
          }
          results.add(new CocoResult(i, cat, b, Math.round(rnd.nextDouble() * 1000) / 1000.0, null));
        }
      }
      gt = new CocoDataset(ims, cs, anns);
    }
  }

  /** Gaussian soft-NMS of 1000 boxes. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public NmsResult softNmsGaussian1000(Boxes s) {
    return Nms.softNms(s.boxes, s.scores, s.gaussian);
  }

  /** Linear soft-NMS of 1000 boxes. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public NmsResult softNmsLinear1000(Boxes s) {
    return Nms.softNms(s.boxes, s.scores, s.linear);
  }

  /** COCO bbox evaluation of 5000 images x 100 detections. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 1, time = 1)
  @Measurement(iterations = 3, time = 1)
  public CocoEvalResult cocoBbox5000x100(Coco s) {
    return CocoEvaluator.evaluate(s.gt, s.results, IouType.BBOX);
  }

  /** Runs all benchmarks of this class. */
  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(EvalBenchmarks.class.getSimpleName()).build()).run();
  }
}
