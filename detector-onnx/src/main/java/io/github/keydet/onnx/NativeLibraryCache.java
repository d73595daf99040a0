package io.github.keydet.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime's native libraries unpacked once into a folder of the caller's choice, instead of into a new
 * temporary folder by every JVM: ONNX Runtime copies its 27 MB CPU library out of its jar on each start (about
 * 150 ms of a first detection on a 2-core machine). {@link #install} unpacks the libraries of the ONNX Runtime jar
 * on the class path into {@code root/<jar name>-linux-x64/} (once; later JVMs find them there) and points ONNX
 * Runtime at that folder with its {@code onnxruntime.native.path} system property.
 *
 * <p>That property is read once per JVM, when ONNX Runtime first loads (the first {@link OnnxDetector} or {@link
 * DextrSegmenter} built, or any {@code ai.onnxruntime} use): call {@link #install} before that, typically at the
 * start of {@code main}; later calls change nothing ONNX Runtime does. Only for the CPU on Linux x86-64 (the CUDA
 * provider's 600 MB library is left to ONNX Runtime's own loading); anything else, a property already set, or an
 * I/O problem (read-only folder) leaves ONNX Runtime to unpack as usual, which is always correct. Unpacking goes to
 * a staging folder moved into place in one step, so concurrent JVMs never see a partial copy. Thread-safe.
 */
public final class NativeLibraryCache {
  private static final Logger LOG = LoggerFactory.getLogger(NativeLibraryCache.class);
  /** ONNX Runtime's own property for a folder holding its unpacked native libraries. */
  public static final String PROPERTY = "onnxruntime.native.path";
  private static final String NATIVE_DIR = "/ai/onnxruntime/native/linux-x64/";
  private static final List<String> LIBRARIES =
      List.of("libonnxruntime.so", "libonnxruntime4j_jni.so", "libonnxruntime_providers_shared.so");

  private NativeLibraryCache() {}

  /**
   * Unpacks (once) and uses the libraries under {@code root} when {@code provider} will run on the CPU.
   *
   * @return the folder ONNX Runtime will load from, or empty when it unpacks as usual (see the class comment)
   */
  public static synchronized Optional<Path> install(Path root, ExecutionProvider provider) {
    if (root == null || provider == null || System.getProperty(PROPERTY) != null
        || !"linux".equals(System.getProperty("os.name", "").toLowerCase(Locale.ROOT))
        || !"amd64".equals(System.getProperty("os.arch"))) {
      return Optional.empty();
    }
    boolean cpu = provider.kind() == ExecutionProvider.Kind.CPU
        || (provider.kind() == ExecutionProvider.Kind.AUTO && CudaProbe.system().whyUnavailable().isPresent());
    if (!cpu) {
      return Optional.empty();
    }
    try {
      Path dir = unpacked(root);
      if (dir != null) {
        System.setProperty(PROPERTY, dir.toString());
      }
      return Optional.ofNullable(dir);
    } catch (IOException | RuntimeException e) {
      LOG.debug("ONNX Runtime native cache under {} not used: {}", root, e.toString());
      return Optional.empty();
    }
  }

  /** The folder under {@code root} holding the libraries of the ONNX Runtime jar on the class path, or null. */
  private static Path unpacked(Path root) throws IOException {
    URL lib = NativeLibraryCache.class.getResource(NATIVE_DIR + LIBRARIES.get(0));
    if (lib == null || !"jar".equals(lib.getProtocol())) {
      return null;
    }
    // jar:file:/.../onnxruntime_gpu-1.28.0.jar!/ai/... -> onnxruntime_gpu-1.28.0: one folder per jar release
    String jarPath = lib.getPath().substring(0, lib.getPath().indexOf('!'));
    String jarName = jarPath.substring(jarPath.lastIndexOf('/') + 1).replace(".jar", "");
    Path dir = root.resolve(jarName + "-linux-x64");
    if (complete(dir)) {
      return dir;
    }
    Files.createDirectories(root);
    Path staging = Files.createTempDirectory(root, jarName + ".unpacking-");
    try {
      for (String name : LIBRARIES) {
        try (InputStream in = NativeLibraryCache.class.getResourceAsStream(NATIVE_DIR + name)) {
          if (in == null) {
            return null;
          }
          Files.copy(in, staging.resolve(name));
        }
      }
      try {
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException | DirectoryNotEmptyException raced) {
        // another JVM unpacked it first: theirs is complete (moved in one step)
        LOG.debug("native cache {} made by another process", dir);
      }
      return complete(dir) ? dir : null;
    } finally {
      deleteTree(staging);
    }
  }

  private static boolean complete(Path dir) {
    return LIBRARIES.stream().allMatch(name -> Files.isRegularFile(dir.resolve(name)));
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
