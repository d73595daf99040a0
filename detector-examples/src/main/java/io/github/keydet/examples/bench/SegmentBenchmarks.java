package io.github.keydet.examples.bench;

import io.github.keydet.api.ImageInputs;
import io.github.keydet.api.InstanceMask;
import io.github.keydet.api.Keypoint;
import io.github.keydet.core.image.Pixels;
import io.github.keydet.core.segment.DextrCrop;
import io.github.keydet.core.segment.DextrPostprocessor;
import io.github.keydet.core.segment.DextrPreprocessor;
import io.github.keydet.core.segment.DextrSettings;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * DEXTR's Java work per object outside the network, at ExtremeNet's settings (relax 50, 512x512, sigma 10, flip
 * test), as {@code DextrSegmenter.segmentAll} does it: {@code pre} = crop with zero padding, cubic resize to
 * 512x512, the extreme-point heat channel and the mirrored copy ({@code prepare} with a mirror offset);
 * {@code post} = sigmoid of the averaged logits, paste back into the image ({@code crop2fullmask}) and threshold
 * ({@code DextrPostprocessor.mask}). The object is the astronaut (points spanning most of the 512x512 sample); the logits are smooth
 * random values, as the network's are.
 *
 * <p>Run: {@code java -cp <classpath> org.openjdk.jmh.Main SegmentBenchmarks -f 1 -wi 3 -i 5 -t 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SegmentBenchmarks {
  private static final DextrSettings SETTINGS = new DextrSettings(50, 512, 10, 0.8, true);

  private final DextrPreprocessor pre = new DextrPreprocessor(SETTINGS);
  private final DextrPostprocessor post = new DextrPostprocessor(SETTINGS);
  private byte[] rgb;
  private int width;
  private int height;
  private List<Keypoint> points;
  private float[] input;
  private float[] logits;
  private DextrCrop crop;

  @Setup
  public void setUp() {
    BufferedImage image = ImageInputs.read(Path.of("detector-examples/samples/astronaut.png"));
    rgb = Pixels.rgb(image);
    width = image.getWidth();
    height = image.getHeight();
    points = List.of(new Keypoint(250, 30, 1), new Keypoint(120, 300, 1), new Keypoint(260, 511, 1),
        new Keypoint(400, 280, 1));
    input = new float[2 * pre.inputLength()];
    crop = pre.prepare(rgb, width, height, points, input, 0);
    int n = SETTINGS.size();
    logits = new float[2 * n * n];
    Random rnd = new Random(7);
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        // a blob in the middle, a little noise: a realistic share of pixels above the threshold
        double d = Math.hypot(x - n / 2.0, y - n / 2.0) / (n / 3.0);
        float v = (float) (6 * (1 - d) + 0.3 * rnd.nextGaussian());
        logits[y * n + x] = v;
        logits[n * n + y * n + (n - 1 - x)] = v;
      }
    }
  }

  @Benchmark
  public float[] pre() {
    pre.prepare(rgb, width, height, points, input, 0, pre.inputLength());
    return input;
  }

  @Benchmark
  public InstanceMask post() {
    int plane = SETTINGS.size() * SETTINGS.size();
    return post.mask(logits, 0, logits, plane, crop);
  }
}
