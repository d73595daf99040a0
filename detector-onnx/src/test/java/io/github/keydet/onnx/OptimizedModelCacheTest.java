package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.core.post.PostprocessConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** optOptimizedModelCache: saved once, reused, keyed by the model, repaired when damaged, never required. */
class OptimizedModelCacheTest {
  private static final Path MODEL = path("/tiny/res18_ctdet.onnx");

  private static Path path(String resource) {
    try {
      return Path.of(OptimizedModelCacheTest.class.getResource(resource).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static OnnxDetector.Builder builder(Path model) {
    return OnnxDetector.builder().setModel(model).optProvider(ExecutionProvider.cpu())
        .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(0f));
  }

  private static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  @Test
  void theFirstBuildSavesTheGraphAndLaterBuildsLoadItWithTheSameResults(@TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("ort-cache");
    DetectionResult plain;
    try (OnnxDetector d = builder(MODEL).build()) {
      plain = d.detect(TinyModels.image());
    }
    try (OnnxDetector d = builder(MODEL).optOptimizedModelCache(cache).build()) {
      assertThat(d.detect(TinyModels.image()).detections()).isEqualTo(plain.detections());
    }
    List<Path> saved = entries(cache);
    assertThat(saved).hasSize(1); // no temporary file left behind
    Path entry = saved.get(0);
    assertThat(entry.getFileName().toString()).matches("[0-9a-f]{64}-ort1\\.28\\.0-cpu\\.onnx");
    FileTime written = Files.getLastModifiedTime(entry);

    try (OnnxDetector d = builder(MODEL).optOptimizedModelCache(cache).build()) {
      // the saved graph kept the model's metadata: the spec (family, labels) is the same
      try (OnnxDetector original = builder(MODEL).build()) {
        assertThat(d.modelInfo()).isEqualTo(original.modelInfo());
      }
      assertThat(d.detect(TinyModels.image()).detections()).isEqualTo(plain.detections());
    }
    assertThat(Files.getLastModifiedTime(entry)).isEqualTo(written); // read, not rewritten
  }

  @Test
  void aDamagedEntryIsRebuiltAndAnotherModelGetsItsOwnEntry(@TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("c");
    try (OnnxDetector d = builder(MODEL).optOptimizedModelCache(cache).build()) {
      d.detect(TinyModels.image());
    }
    Path entry = entries(cache).get(0);
    Files.writeString(entry, "not an onnx graph");
    List<Detection> rebuiltRun;
    try (OnnxDetector d = builder(MODEL).optOptimizedModelCache(cache).build()) {
      rebuiltRun = d.detect(TinyModels.image()).detections();
    }
    assertThat(rebuiltRun).isNotEmpty();
    // ORT's serialisation is not byte-for-byte stable between builds, so the rebuilt entry is checked by use: it
    // is an ONNX graph again, and a detector made from it alone detects what the rebuilding one did
    assertThat(Files.readString(entry, java.nio.charset.StandardCharsets.ISO_8859_1)).isNotEqualTo("not an onnx graph");
    try (OnnxDetector d = builder(entry).build()) {
      assertThat(d.detect(TinyModels.image()).detections()).isEqualTo(rebuiltRun);
    }

    try (OnnxDetector d = builder(path("/tiny/dla34_ctdet.onnx")).optOptimizedModelCache(cache).build()) {
      d.detect(TinyModels.image());
    }
    assertThat(entries(cache)).hasSize(2);
  }

  @Test
  void aCacheFolderThatCannotBeMadeOnlyCostsTheSpeedUp(@TempDir Path tmp) throws Exception {
    Path notADir = Files.writeString(tmp.resolve("file"), "x");
    try (OnnxDetector d = builder(MODEL).optOptimizedModelCache(notADir.resolve("sub")).build()) {
      assertThat(d.detect(TinyModels.image()).detections()).isNotEmpty();
    }
  }
}
