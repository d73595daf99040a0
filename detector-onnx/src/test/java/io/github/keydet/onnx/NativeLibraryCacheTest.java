package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NativeLibraryCache}: the libraries of the ONNX Runtime jar on the class path unpacked byte for byte, once,
 * and ONNX Runtime's property pointed at them; nothing done for CUDA, with the property already set, or off Linux
 * x86-64. The property is restored afterwards (ONNX Runtime reads it once per JVM).
 */
class NativeLibraryCacheTest {
  private static final List<String> LIBRARIES =
      List.of("libonnxruntime.so", "libonnxruntime4j_jni.so", "libonnxruntime_providers_shared.so");

  private static boolean linuxX64() {
    return "linux".equals(System.getProperty("os.name", "").toLowerCase(Locale.ROOT))
        && "amd64".equals(System.getProperty("os.arch"));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = NativeLibraryCache.class.getResourceAsStream("/ai/onnxruntime/native/linux-x64/" + name)) {
      assertThat(in).as(name + " in the ONNX Runtime jar").isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void unpacksTheJarsLibrariesOnceAndPointsOnnxRuntimeAtThem(@TempDir Path root, @TempDir Path other)
      throws IOException {
    String before = System.getProperty(NativeLibraryCache.PROPERTY);
    try {
      System.clearProperty(NativeLibraryCache.PROPERTY);
      assertThat(NativeLibraryCache.install(root, ExecutionProvider.cuda(0))).isEmpty();
      assertThat(System.getProperty(NativeLibraryCache.PROPERTY)).isNull();

      Optional<Path> dir = NativeLibraryCache.install(root, ExecutionProvider.cpu());
      if (!linuxX64()) {
        assertThat(dir).isEmpty();
        return;
      }
      assertThat(dir).isPresent();
      assertThat(dir.get().getParent()).isEqualTo(root);
      assertThat(dir.get().getFileName().toString()).startsWith("onnxruntime").endsWith("-linux-x64");
      assertThat(System.getProperty(NativeLibraryCache.PROPERTY)).isEqualTo(dir.get().toString());
      for (String name : LIBRARIES) {
        assertThat(Files.readAllBytes(dir.get().resolve(name))).as(name).isEqualTo(resource(name));
      }
      try (Stream<Path> entries = Files.list(root)) {
        assertThat(entries).as("no staging folder left").containsExactly(dir.get());
      }

      // the next JVM (property not set yet) finds the copy and does not unpack again
      FileTime unpackedAt = Files.getLastModifiedTime(dir.get().resolve(LIBRARIES.get(0)));
      System.clearProperty(NativeLibraryCache.PROPERTY);
      assertThat(NativeLibraryCache.install(root, ExecutionProvider.cpu())).isEqualTo(dir);
      assertThat(Files.getLastModifiedTime(dir.get().resolve(LIBRARIES.get(0)))).isEqualTo(unpackedAt);

      // a property set by someone else is left alone
      assertThat(NativeLibraryCache.install(other, ExecutionProvider.cpu())).isEmpty();
      assertThat(System.getProperty(NativeLibraryCache.PROPERTY)).isEqualTo(dir.get().toString());
      try (Stream<Path> entries = Files.list(other)) {
        assertThat(entries).isEmpty();
      }
    } finally {
      if (before == null) {
        System.clearProperty(NativeLibraryCache.PROPERTY);
      } else {
        System.setProperty(NativeLibraryCache.PROPERTY, before);
      }
    }
  }
}
