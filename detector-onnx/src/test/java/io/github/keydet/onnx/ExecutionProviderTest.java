package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.ModelLoadException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Provider choice and CPU fallback, with the log line each choice writes (slf4j-simple, stderr). */
class ExecutionProviderTest {
  private static final CudaProbe NO_DRIVER = () -> Optional.of("no NVIDIA driver found (test probe)");
  private static final CudaProbe FAKE_DRIVER = Optional::empty;

  /** Runs the action with stderr captured; returns the lines that mention the model. */
  private static <T> List<String> logOf(Supplier<T> action, Object[] result) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      result[0] = action.get();
    } finally {
      System.setErr(old);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    System.err.print(text);
    return text.lines().filter(l -> l.contains("OnnxDetector")).toList();
  }

  private static OnnxDetector.Builder tiny(ExecutionProvider p, CudaProbe probe) {
    return OnnxDetector.builder().setModel(TinyModels.path("tiny_centernet.onnx")).optProvider(p).optCudaProbe(probe)
        .optDecodeOptions(io.github.keydet.core.decode.DecodeOptions.defaults().withK(10));
  }

  @Test
  void autoRunsOnTheCpuWithoutADriver() {
    Assumptions.assumeTrue(CudaProbe.system().whyUnavailable().isPresent(), "this machine has an NVIDIA driver");
    Object[] r = new Object[1];
    List<String> log = logOf(() -> tiny(ExecutionProvider.auto(), CudaProbe.system()).build(), r);
    try (OnnxDetector d = (OnnxDetector) r[0]) {
      assertThat(d.modelInfo().executionProvider()).isEqualTo("CPU");
      assertThat(log).hasSize(1);
      assertThat(log.get(0)).contains("INFO").contains("runs on the CPU").contains("no NVIDIA driver found");
    }
  }

  @Test
  void cpuIsCpuWithoutProbing() {
    CudaProbe failing = () -> {
      throw new AssertionError("the CPU provider must not probe for CUDA");
    };
    try (OnnxDetector d = tiny(ExecutionProvider.cpu(), failing).build()) {
      assertThat(d.modelInfo().executionProvider()).isEqualTo("CPU");
    }
  }

  @Test
  void cudaFallsBackToTheCpuWhenUnavailable() {
    Object[] r = new Object[1];
    List<String> log = logOf(() -> tiny(ExecutionProvider.cuda(0), NO_DRIVER).build(), r);
    try (OnnxDetector d = (OnnxDetector) r[0]) {
      assertThat(d.modelInfo().executionProvider()).isEqualTo("CPU");
      assertThat(log).hasSize(1);
      assertThat(log.get(0)).contains("WARN").contains("CUDA device 0 requested").contains("falling back to the CPU")
          .contains("test probe");
    }
  }

  @Test
  void strictCudaFailsWhenUnavailable() {
    assertThatThrownBy(() -> tiny(ExecutionProvider.cudaStrict(0), NO_DRIVER).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("CUDA device 0 was required but no NVIDIA driver found (test probe)");
  }

  /** The probe claims a driver: ONNX Runtime's addCUDA really runs and fails here (5-7 s), then the CPU is used. */
  @Test
  void cudaFailingInsideOnnxRuntimeFallsBackToTheCpu() {
    Assumptions.assumeTrue(CudaProbe.system().whyUnavailable().isPresent(), "this machine has an NVIDIA driver");
    Object[] r = new Object[1];
    long t0 = System.nanoTime();
    List<String> log = logOf(() -> tiny(ExecutionProvider.cuda(0), FAKE_DRIVER).build(), r);
    System.out.printf("addCUDA attempt and fallback took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    try (OnnxDetector d = (OnnxDetector) r[0]) {
      assertThat(d.modelInfo().executionProvider()).isEqualTo("CPU");
      assertThat(log).hasSize(1);
      assertThat(log.get(0)).contains("WARN").contains("falling back to the CPU")
          .contains("ONNX Runtime could not use CUDA");
      assertThat(d.detect(TinyModels.image())).isNotNull();
    }
  }

  @Test
  void parse() {
    assertThat(ExecutionProvider.parse("CUDA:1")).isEqualTo(ExecutionProvider.cuda(1));
    assertThat(ExecutionProvider.parse("auto")).isEqualTo(ExecutionProvider.auto());
    assertThatThrownBy(() -> ExecutionProvider.parse("tpu"))
        .isInstanceOf(io.github.keydet.api.InvalidConfigException.class).hasMessageContaining("'tpu'");
    assertThatThrownBy(() -> ExecutionProvider.cuda(-1))
        .isInstanceOf(io.github.keydet.api.InvalidConfigException.class).hasMessageContaining("-1");
  }
}
