package io.github.keydet.examples.bench;

import io.github.keydet.api.ImageInputs;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.TfodPoseDecoder;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import io.github.keydet.onnx.RawTensor;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * The bundled pose model's decode ({@link TfodPoseDecoder}, MoveNet MultiPose's rule, K = 6) on the model's own
 * six heads (NHWC, 64x64 cells: centre 1, box scale 2, box offset 2, keypoint heat 17, keypoint regression 34,
 * keypoint offset 34 channels) computed once in setup from a shipped photograph; one thread, heads already in
 * Java arrays (what {@code detect} hands its decoder). Average time and the sampled distribution (its p50 is the
 * figure least moved by other processes on a shared machine). Run from the repository root: {@code java -cp
 * "detector-examples/target/keydet.jar:detector-examples/target/lib/*" org.openjdk.jmh.Main TfodPoseBenchmarks
 * -f 1 -wi 3 -i 5 -t 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TfodPoseBenchmarks {
  private static final List<String> HEADS =
      List.of("center_0", "box_scale_0", "box_offset_0", "kpt_heatmap_0", "kpt_regress_0", "kpt_offset_0");

  /** Shipped sample photographs (detector-examples/samples). */
  @Param({"astronaut", "coffee"})
  public String image;

  private HeadView[] views;
  private TfodPoseDecoder decoder;

  /** Runs the pose model once on the image and keeps its six heads. */
  @Setup
  public void setUp() {
    Path samples = Path.of("detector-examples/samples");
    if (!samples.toFile().isDirectory()) {
      samples = Path.of("samples");
    }
    try (OnnxDetector detector = BundledModels.builder("pose").optProvider(ExecutionProvider.cpu()).build()) {
      PreparedInput input = detector.preprocessor().prepare(ImageInputs.read(samples.resolve(image + ".png")));
      Map<String, RawTensor> out = detector.runRaw(input, new HashSet<>(HEADS));
      views = new HeadView[HEADS.size()];
      for (int i = 0; i < views.length; i++) {
        RawTensor t = out.get(HEADS.get(i));
        views[i] = HeadView.of(HEADS.get(i), t.data(), t.shape(), Layout.NHWC);
      }
    }
    decoder = new TfodPoseDecoder(TfodPoseDecoder.Config.movenet(6, Activation.PROBABILITIES, Layout.NHWC));
  }

  /** MoveNet MultiPose decode: 6 people x 17 keypoints from the 64x64 heads. */
  @Benchmark
  public List<List<Candidate>> tfodPoseDecode() {
    return decoder.decode(views[0], views[1], views[2], views[3], views[4], views[5]);
  }
}
