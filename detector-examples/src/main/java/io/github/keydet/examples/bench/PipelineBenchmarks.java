package io.github.keydet.examples.bench;

import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.ImageInputs;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.core.image.Preprocessor;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The default model's pipeline on the shipped photographs: preprocessing alone, and a whole {@code detect}
 * (one intra-op thread) whose stage timings show the share of work outside {@code session.run}. Run from the
 * repository root: {@code java -cp "detector-examples/target/keydet.jar:detector-examples/target/lib/*"
 * org.openjdk.jmh.Main PipelineBenchmarks -f 1 -wi 3 -i 5 -t 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PipelineBenchmarks {
  @Param({"astronaut", "coffee"})
  public String image;

  private BufferedImage picture;
  private Preprocessor preprocessor;
  private OnnxDetector detector;

  /** Loads the model (one intra-op thread) and the image. */
  @Setup
  public void setUp() {
    Path samples = Path.of("detector-examples/samples");
    if (!samples.toFile().isDirectory()) {
      samples = Path.of("samples");
    }
    picture = ImageInputs.read(samples.resolve(image + ".png"));
    detector = OnnxDetector.builder().setModel(BundledModels.COCO.bytes(), BundledModels.COCO.fileName())
        .optProvider(ExecutionProvider.cpu()).optIntraOpThreads(1).build();
    preprocessor = detector.preprocessor();
  }

  /** Releases the session. */
  @TearDown
  public void tearDown() {
    detector.close();
  }

  /** Letterbox to 512x512 NHWC floats. */
  @Benchmark
  public PreparedInput preprocess() {
    return preprocessor.prepare(picture);
  }

  /** The whole call: preprocess, session.run, decode, postprocess. */
  @Benchmark
  public DetectionResult detect() {
    return detector.detect(picture);
  }
}
