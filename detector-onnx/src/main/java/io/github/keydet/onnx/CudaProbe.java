package io.github.keydet.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Says whether CUDA can possibly work here, before asking ONNX Runtime: {@code getAvailableProviders()} lists
 * CUDA even without a GPU, and {@code addCUDA} first unpacks a 583 MB library (5–7 s) before failing. So we
 * look for an NVIDIA driver: {@code /proc/driver/nvidia/version}, or {@code libcuda.so.1} in the usual places.
 */
@FunctionalInterface
public interface CudaProbe {

  /** Empty when CUDA may be used; otherwise why not, for the log line. */
  Optional<String> whyUnavailable();

  /** The real probe of this machine. */
  static CudaProbe system() {
    return () -> {
      if (Files.exists(Path.of("/proc/driver/nvidia/version"))) {
        return Optional.empty();
      }
      List<Path> places = new ArrayList<>(List.of(
          Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1"),
          Path.of("/usr/lib64/libcuda.so.1"),
          Path.of("/usr/lib/wsl/lib/libcuda.so.1")));
      String ld = System.getenv("LD_LIBRARY_PATH");
      if (ld != null) {
        for (String dir : ld.split(":")) {
          if (!dir.isEmpty()) {
            places.add(Path.of(dir, "libcuda.so.1"));
          }
        }
      }
      for (Path p : places) {
        if (Files.exists(p)) {
          return Optional.empty();
        }
      }
      return Optional.of("no NVIDIA driver found (/proc/driver/nvidia/version and libcuda.so.1 absent)");
    };
  }
}
