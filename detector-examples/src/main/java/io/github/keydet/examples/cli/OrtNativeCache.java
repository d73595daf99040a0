package io.github.keydet.examples.cli;

import io.github.keydet.onnx.CudaProbe;
import io.github.keydet.onnx.ExecutionProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up time of the CLI: ONNX Runtime unpacks its 27 MB native library from its jar into a new temporary folder
 * on every start (about 150 ms of a one-image run here). The CLI keeps one unpacked copy per ONNX Runtime jar under
 * {@link #root()} and points ONNX Runtime at it with its
 * {@code onnxruntime.native.path} property. Only for runs on the CPU on Linux x86-64: the CUDA provider's 600 MB
 * library is left to ONNX Runtime's own loading. Any problem (read-only home, odd class path) only means ONNX
 * Runtime unpacks as usual; {@code KEYDET_NO_NATIVE_CACHE=1} turns it off.
 */
final class OrtNativeCache {
  private static final Logger LOG = LoggerFactory.getLogger(OrtNativeCache.class);
  private static final String PROPERTY = "onnxruntime.native.path";
  private static final String NATIVE_DIR = "/ai/onnxruntime/native/linux-x64/";
  private static final List<String> LIBRARIES =
      List.of("libonnxruntime.so", "libonnxruntime4j_jni.so", "libonnxruntime_providers_shared.so");

  private OrtNativeCache() {}

  /** Points ONNX Runtime at the cached libraries when {@code provider} will run on the CPU. */
  static void installFor(ExecutionProvider provider) {
    if (System.getProperty(PROPERTY) != null || "1".equals(System.getenv("KEYDET_NO_NATIVE_CACHE"))
        || !"linux".equals(System.getProperty("os.name", "").toLowerCase(Locale.ROOT))
        || !"amd64".equals(System.getProperty("os.arch"))) {
      return;
    }
    boolean cpu = provider.kind() == ExecutionProvider.Kind.CPU
        || (provider.kind() == ExecutionProvider.Kind.AUTO && CudaProbe.system().whyUnavailable().isPresent());
    if (!cpu) {
      return;
    }
    try {
      Path dir = cacheDir();
      if (dir != null) {
        System.setProperty(PROPERTY, dir.toString());
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("ONNX Runtime native cache not used: {}", e.toString());
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

  /** The folder holding the libraries of the ONNX Runtime jar on the class path, unpacked once. */
  private static Path cacheDir() throws IOException {
    URL lib = OrtNativeCache.class.getResource(NATIVE_DIR + LIBRARIES.get(0));
    if (lib == null || !"jar".equals(lib.getProtocol())) {
      return null;
    }
    // jar:file:/.../onnxruntime_gpu-1.28.0.jar!/ai/... -> onnxruntime_gpu-1.28.0: one folder per jar release
    String jarPath = lib.getPath().substring(0, lib.getPath().indexOf('!'));
    String jarName = jarPath.substring(jarPath.lastIndexOf('/') + 1).replace(".jar", "");
    Path root = root();
    Path dir = root.resolve(jarName + "-linux-x64");
    if (LIBRARIES.stream().allMatch(name -> Files.isRegularFile(dir.resolve(name)))) {
      return dir;
    }
    Files.createDirectories(root);
    Path staging = Files.createTempDirectory(root, jarName + ".unpacking-");
    try {
      for (String name : LIBRARIES) {
        try (InputStream in = OrtNativeCache.class.getResourceAsStream(NATIVE_DIR + name)) {
          if (in == null) {
            return null;
          }
          Files.copy(in, staging.resolve(name));
        }
      }
      try {
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException
          | java.nio.file.DirectoryNotEmptyException raced) {
        // another keydet process unpacked it first: theirs is complete (moved in one step)
        LOG.debug("native cache {} made by another process", dir);
      }
      return LIBRARIES.stream().allMatch(name -> Files.isRegularFile(dir.resolve(name))) ? dir : null;
    } finally {
      deleteTree(staging);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }
}
