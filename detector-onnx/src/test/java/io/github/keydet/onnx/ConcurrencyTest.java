package io.github.keydet.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.post.PostprocessConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many callers on one detector: bounded runs, same results as one caller. */
class ConcurrencyTest {
  @Test
  void automaticRunsAreTheCoresOverTheThreadsOfOneRun() {
    assertThat(CallAdmission.automaticConcurrentRuns(2, 0)).isEqualTo(1); // ORT default: one thread per core
    assertThat(CallAdmission.automaticConcurrentRuns(8, 2)).isEqualTo(4);
    assertThat(CallAdmission.automaticConcurrentRuns(2, 4)).isEqualTo(1);
    assertThat(CallAdmission.automaticConcurrentRuns(16, 1)).isEqualTo(16);
    assertThatThrownBy(() -> OnnxDetector.builder().optMaxConcurrentRuns(-1))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("-1");
  }

  @Test
  void sixteenCallersGetWhatOneCallerGets() throws Exception {
    try (OnnxDetector d = OnnxDetector.builder().setModel(TinyModels.path("tiny_centernet.onnx"))
        .optProvider(ExecutionProvider.cpu()).optMaxConcurrentRuns(2)
        .optDecodeOptions(DecodeOptions.defaults().withK(10))
        .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(0f)).build()) {
      assertThat(d.maxConcurrentRuns()).isEqualTo(2);
      DetectionResult alone = d.detect(TinyModels.image());
      assertThat(alone.detections()).isNotEmpty();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<DetectionResult>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          calls.add(pool.submit(() -> d.detect(TinyModels.image())));
        }
        for (Future<DetectionResult> f : calls) {
          assertThat(f.get().detections()).isEqualTo(alone.detections());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void batchedRunsGiveWhatSingleRunsGive() {
    // a tiny export with a dynamic batch: detectAll in network batches of 4 (5 images: runs of 4 and 1) equals one
    // detect per image
    java.nio.file.Path model = java.nio.file.Path.of("src/test/resources/tiny/dla34_ctdet.onnx");
    java.awt.image.BufferedImage a = io.github.keydet.api.ImageInputs.read(
        java.nio.file.Path.of("src/test/resources/tiny/dla34_ctdet.png"));
    java.awt.image.BufferedImage b = TinyModels.image();
    List<java.awt.image.BufferedImage> images = List.of(a, b, a, b, a);
    PostprocessConfig post = PostprocessConfig.defaults().withScoreThreshold(0.01f);
    try (OnnxDetector batched = OnnxDetector.builder().setModel(model).optProvider(ExecutionProvider.cpu())
            .optMaxBatch(4).optPostprocess(post).build();
        OnnxDetector single = OnnxDetector.builder().setModel(model).optProvider(ExecutionProvider.cpu())
            .optPostprocess(post).build()) {
      List<DetectionResult> all = batched.detectAll(images);
      assertThat(all).hasSize(5);
      for (int i = 0; i < images.size(); i++) {
        List<io.github.keydet.api.Detection> one = single.detect(images.get(i)).detections();
        List<io.github.keydet.api.Detection> got = all.get(i).detections();
        assertThat(one).as("image %d has detections", i).isNotEmpty();
        TinyModels.assertSameDetections(got, one, "image " + i);
      }
    }
  }
}
