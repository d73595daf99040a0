package io.github.keydet.examples.cli;

import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.NativeLibraryCache;
import java.nio.file.Path;

/**
 * The CLI's caches: its folder ({@link #root()}) and, on every start, ONNX Runtime's native libraries unpacked once
 * there ({@link NativeLibraryCache}: about 150 ms of a one-image run here); {@code KEYDET_NO_NATIVE_CACHE=1} turns
 * the latter off.
 */
final class OrtNativeCache {
  private OrtNativeCache() {}

  /** Points ONNX Runtime at the cached libraries when {@code provider} will run on the CPU. */
  static void installFor(ExecutionProvider provider) {
    if (!"1".equals(System.getenv("KEYDET_NO_NATIVE_CACHE"))) {
      NativeLibraryCache.install(root(), provider);
    }
  }

  /**
   * KeyDet's cache folder: the {@code keydet.cache} system property (the tests point it into {@code target/}),
   * else {@code $XDG_CACHE_HOME/keydet}, default {@code ~/.cache/keydet}.
   */
  static Path root() {
    String property = System.getProperty("keydet.cache");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    return xdg != null && !xdg.isBlank()
        ? Path.of(xdg, "keydet") : Path.of(System.getProperty("user.home"), ".cache", "keydet");
  }
}
