package io.github.keydet.examples.cli;

import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import picocli.CommandLine.Option;
import java.nio.file.Path;

/** Options shared by the commands that run a model. */
public final class ModelOptions {
  @Option(names = "--model", paramLabel = "NAME|FILE",
      description = "A bundled model by name (coco; `keydet models` lists them) or an ONNX file (default: coco)")
  String model;

  @Option(names = "--provider", defaultValue = "auto", paramLabel = "auto|cpu|cuda[:N]",
      description = "Execution provider (default: ${DEFAULT-VALUE}; auto uses CUDA when an NVIDIA driver is present)")
  String provider;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
      description = "ONNX Runtime intra-op threads (0 = automatic: a call alone on every core, overlapping calls"
          + " on one core each, side by side)")
  int threads;

  @Option(names = "--threshold", defaultValue = "0.3", paramLabel = "T", description = "Score threshold (default: ${DEFAULT-VALUE})")
  float threshold;

  @Option(names = "--nms-iou", defaultValue = "0.5", paramLabel = "IOU",
      description = "Per-class NMS IoU threshold; 1 disables NMS (default: ${DEFAULT-VALUE})")
  float nmsIou;

  @Option(names = "--max-detections", defaultValue = "100", paramLabel = "N", description = "Detections per image at most")
  int maxDetections;

  @Option(names = "--flip", description = "Flip test: also run the mirrored image and merge (about 2x slower)")
  boolean flip;

  @Option(names = "--scales", split = ",", paramLabel = "S[,S...]",
      description = "Test scales, e.g. 0.5,0.75,1,1.25,1.5; several are merged by soft-NMS (default: 1)")
  java.util.List<Double> scales = java.util.List.of(1.0);

  @Option(names = "--K", paramLabel = "K", description = "Candidates taken from the heatmap (default: the family's:"
      + " 100; CenterNet-Triplets 70, ExtremeNet 40, CornerNet-Saccade 12 per crop)")
  Integer k;

  /** The model {@code --model} names: a bundled one, else a file; a name that is neither fails naming both. */
  ModelSource modelSource() {
    return ModelSource.parse(model);
  }

  @Option(names = "--dextr", paramLabel = "FILE",
      description = "DEXTR model (tools/export --arch dextr): ExtremeNet detections get instance masks")
  Path dextr;

  /** Builds the detector these options describe. */
  OnnxDetector build() {
    return builder().build();
  }

  /** A detector builder set as these options describe, for commands that add settings of their own. */
  OnnxDetector.Builder builder() {
    ExecutionProvider chosen = ExecutionProvider.parse(provider);
    OrtNativeCache.installFor(chosen);
    OnnxDetector.Builder b = OnnxDetector.builder();
    if (!"1".equals(System.getenv("KEYDET_NO_MODEL_CACHE"))) {
      // ONNX Runtime's optimised graph, saved by the first run of a model and loaded by later ones
      b.optOptimizedModelCache(OrtNativeCache.root().resolve("optimized-models"));
    }
    modelSource().applyTo(b);
    if (dextr != null) {
      b.optDextrModel(dextr);
    }
    return b.optProvider(chosen)
        .optIntraOpThreads(threads)
        .optFlipTest(flip)
        .optScales(scales)
        .optDecodeOptions(k == null ? DecodeOptions.defaults() : DecodeOptions.defaults().withK(k))
        .optPostprocess(PostprocessConfig.defaults()
            .withScoreThreshold(threshold)
            .withNmsIouThreshold(nmsIou)
            .withMaxDetections(maxDetections));
  }
}
