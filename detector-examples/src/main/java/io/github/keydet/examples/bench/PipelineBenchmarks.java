package io.github.keydet.examples.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.ImageInputs;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.core.image.Preprocessor;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
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
 * (one intra-op thread) whose stage timings show the share of work outside {@code session.run}; beside it the
 * floor, ONNX Runtime alone on the same input tensor with the same settings (one intra-op thread, no spinning, all
 * graph optimisations): {@code bareRun} is {@code session.run} on a tensor made once, {@code bareReadAndRun} adds
 * the PNG's decoding, to compare with {@code detectFile} (KeyDet's whole call from the file). Run from the
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
  private Path file;
  private OrtSession bare;
  private OnnxTensor bareInput;
  private String bareInputName;

  /** Loads the model (one intra-op thread) and the image. */
  @Setup
  public void setUp() {
    Path samples = Path.of("detector-examples/samples");
    if (!samples.toFile().isDirectory()) {
      samples = Path.of("samples");
    }
    file = samples.resolve(image + ".png");
    picture = ImageInputs.read(file);
    detector = OnnxDetector.builder().setModel(BundledModels.COCO.bytes(), BundledModels.COCO.fileName())
        .optProvider(ExecutionProvider.cpu()).optIntraOpThreads(1).build();
    preprocessor = detector.preprocessor();
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
        o.setIntraOpNumThreads(1);
        o.addConfigEntry("session.intra_op.allow_spinning", "0");
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        bare = env.createSession(BundledModels.COCO.bytes(), o);
      }
      bareInputName = bare.getInputNames().iterator().next();
      PreparedInput in = preprocessor.prepare(picture);
      bareInput = OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(in.data()), in.shape());
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Releases the session. */
  @TearDown
  public void tearDown() {
    detector.close();
    bareInput.close();
    try {
      bare.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
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

  /** KeyDet's whole call from the PNG file: decode, preprocess, session.run, decode heads, postprocess. */
  @Benchmark
  public DetectionResult detectFile() {
    return detector.detect(file);
  }

  /** The floor: ONNX Runtime alone, {@code session.run} on the prepared input tensor, all outputs read. */
  @Benchmark
  public int bareRun() throws OrtException {
    try (OrtSession.Result r = bare.run(Map.of(bareInputName, bareInput))) {
      return r.size();
    }
  }

  /** The floor with the image decoding a caller of ONNX Runtime would do too. */
  @Benchmark
  public int bareReadAndRun() throws OrtException, IOException {
    BufferedImage decoded = ImageIO.read(file.toFile());
    try (OrtSession.Result r = bare.run(Map.of(bareInputName, bareInput))) {
      return r.size() + decoded.getWidth();
    }
  }
}
