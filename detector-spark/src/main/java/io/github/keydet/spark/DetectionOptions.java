package io.github.keydet.spark;

import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.InvalidConfigException;
import java.io.Serializable;

/**
 * What {@link SparkDetection#detect} runs on every image: the model and the settings of its detector. Immutable and
 * {@link Serializable}: Spark ships it to the executors inside the task, and each executor JVM builds one detector
 * per distinct options value ({@link ExecutorDetectors}), never one per row.
 *
 * <p>{@code model} is read on the executor, in this order: {@code classpath:RESOURCE} (an ONNX file inside a jar
 * on the class path, e.g. {@code classpath:models/my.onnx}); a path to an existing file; a bundled model's name or
 * alias ({@code coco}, {@code pose}); a file shipped with {@code spark-submit --files} ({@code SparkFiles.get}).
 *
 * @param model a bundled model name, an ONNX file or {@code classpath:RESOURCE}; blank means the default model
 * @param scoreThreshold detections below this score are dropped (the CLI's {@code --threshold})
 * @param nmsIou per-class NMS IoU threshold; 1 disables NMS
 * @param maxDetections detections per image at most
 * @param maxPixels images above width x height pixels become error rows, checked before decoding
 * @param intraOpThreads ONNX Runtime intra-op threads per run; 0 is automatic (elastic runs: all cores for a call alone, one
 *     core per run while calls overlap)
 * @param flipTest also run the mirrored image and merge (about 2x slower)
 */
public record DetectionOptions(String model, float scoreThreshold, float nmsIou, int maxDetections, long maxPixels,
    int intraOpThreads, boolean flipTest) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The CLI's defaults: the bundled COCO model, threshold 0.3, NMS IoU 0.5, 100 detections, 100 megapixels. */
  public static DetectionOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. Not thread-safe. */
  public static Builder builder() {
    return new Builder();
  }

  /** Checks the ranges. */
  public DetectionOptions {
    model = model == null ? "" : model.strip();
    if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
      throw new InvalidConfigException("score threshold must be in [0, 1], got " + scoreThreshold);
    }
    if (!(nmsIou > 0 && nmsIou <= 1)) {
      throw new InvalidConfigException("NMS IoU threshold must be in (0, 1], got " + nmsIou);
    }
    if (maxDetections < 1) {
      throw new InvalidConfigException("max detections must be >= 1, got " + maxDetections);
    }
    if (maxPixels < 1) {
      throw new InvalidConfigException("max pixels must be >= 1, got " + maxPixels);
    }
    if (intraOpThreads < 0) {
      throw new InvalidConfigException("intra-op threads must be >= 0 (0 = automatic), got "
          + intraOpThreads);
    }
  }

  /** Builds {@link DetectionOptions}; every setting is optional. Not thread-safe. */
  public static final class Builder {
    private String model = "";
    private float scoreThreshold = 0.3f;
    private float nmsIou = 0.5f;
    private int maxDetections = 100;
    private long maxPixels = ImageLoader.DEFAULT_MAX_PIXELS;
    private int intraOpThreads;
    private boolean flipTest;

    private Builder() {}

    /** A bundled model name, an ONNX file path or {@code classpath:RESOURCE} (default: the bundled COCO model). */
    public Builder optModel(String v) {
      model = v;
      return this;
    }

    /** The score threshold (default 0.3). */
    public Builder optScoreThreshold(float v) {
      scoreThreshold = v;
      return this;
    }

    /** The per-class NMS IoU threshold (default 0.5). */
    public Builder optNmsIou(float v) {
      nmsIou = v;
      return this;
    }

    /** Detections per image at most (default 100). */
    public Builder optMaxDetections(int v) {
      maxDetections = v;
      return this;
    }

    /** The pixel limit of one image (default {@link ImageLoader#DEFAULT_MAX_PIXELS}). */
    public Builder optMaxPixels(long v) {
      maxPixels = v;
      return this;
    }

    /** ONNX Runtime intra-op threads per run (default 0: automatic, elastic runs). */
    public Builder optIntraOpThreads(int v) {
      intraOpThreads = v;
      return this;
    }

    /** Flip test (default off). */
    public Builder optFlipTest(boolean v) {
      flipTest = v;
      return this;
    }

    /** The options; throws {@link InvalidConfigException} naming a value out of range. */
    public DetectionOptions build() {
      return new DetectionOptions(model, scoreThreshold, nmsIou, maxDetections, maxPixels, intraOpThreads, flipTest);
    }
  }
}
