package io.github.keydet.examples.bench;

import io.github.keydet.core.loss.FocalLoss;
import io.github.keydet.core.loss.HeatmapInput;
import io.github.keydet.core.encode.CtdetTargetEncoder;
import io.github.keydet.core.encode.ObjectAnnotation;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH benchmarks of the training side: ctdet targets for 100 objects, 80 classes, a 128x128 output map (into
 * preallocated arrays, and freshly allocated), and the focal loss over {@code [2, 80, 128, 128]} from probabilities
 * and from logits. Run: {@code java -cp <classpath> org.openjdk.jmh.Main TargetBenchmarks -f 1 -wi 3 -i 5 -t 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TargetBenchmarks {
  private CtdetTargetEncoder encoder;
  private List<ObjectAnnotation> objects;
  private TargetSet preallocated;
  private INDArray probs;
  private INDArray logits;
  private INDArray gt;

  /** Builds the inputs: 100 random COCO-like boxes in a 512x512 input, random heads, a ctdet-like target. */
  @Setup(Level.Trial)
  public void setUp() {
    Random r = new Random(42);
    TargetGeometry g = TargetGeometry.builder(512, 512).optStride(4).build();
    encoder = CtdetTargetEncoder.builder(g, 80).build();
    objects = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      float w = 8 + r.nextFloat() * 200;
      float h = 8 + r.nextFloat() * 200;
      float x = r.nextFloat() * (512 - w);
      float y = r.nextFloat() * (512 - h);
      objects.add(ObjectAnnotation.box(x, y, x + w, y + h, r.nextInt(80)));
    }
    preallocated = encoder.allocate();
    Nd4j.getRandom().setSeed(42);
    probs = Nd4j.rand(DataType.FLOAT, 2, 80, 128, 128);
    logits = Nd4j.randn(DataType.FLOAT, 2, 80, 128, 128);
    try (TargetSet t = encoder.encode(objects)) {
      INDArray hm = t.get("hm");
      gt = Nd4j.concat(0, hm.reshape(1, 80, 128, 128), hm.reshape(1, 80, 128, 128));
    }
  }

  /** Releases native memory. */
  @TearDown(Level.Trial)
  public void tearDown() {
    preallocated.close();
  }

  /** ctdet targets written into preallocated arrays (cleared first). */
  @Benchmark
  public TargetSet ctdetTargetsPreallocated() {
    encoder.encodeInto(objects, preallocated);
    return preallocated;
  }

  /** ctdet targets into new arrays (allocation included; closed right away). */
  @Benchmark
  public long ctdetTargetsNew() {
    try (TargetSet t = encoder.encode(objects)) {
      return t.get("ind").getLong(0);
    }
  }

  /** Focal loss from probabilities over [2, 80, 128, 128]. */
  @Benchmark
  public double focalLossProbabilities() {
    return FocalLoss.compute(probs, gt, HeatmapInput.PROBABILITIES);
  }

  /** Focal loss from logits (sigmoid + clamp inside) over [2, 80, 128, 128]. */
  @Benchmark
  public double focalLossLogits() {
    return FocalLoss.compute(logits, gt, HeatmapInput.LOGITS);
  }
}
