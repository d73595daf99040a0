package io.github.keydet.core.saccade;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.nms.SoftNmsMethod;
import io.github.keydet.core.nms.SoftNmsOptions;
import java.util.List;

/**
 * The settings of CornerNet-Saccade's test procedure ({@code io.github.keydet.core.pipeline.SaccadeProcedure}); the defaults are
 * princeton-vl/CornerNet-Lite's {@code configs/CornerNet_Saccade.json} over {@code core/dbs/detection.py}:
 *
 * <table>
 *   <caption>settings and defaults</caption>
 *   <tr><th>setting</th><th>config key</th><th>default</th></tr>
 *   <tr><td>{@code initSizes}</td><td>init_sizes</td><td>192, 255: longest side of the downsized full images</td></tr>
 *   <tr><td>{@code attThreshold}</td><td>att_thresholds</td><td>0.3: attention peaks above it are locations</td></tr>
 *   <tr><td>{@code attScales}</td><td>att_scales</td><td>1, 2, 4: zoom of the maps att0, att1, att2</td></tr>
 *   <tr><td>{@code attRatios}</td><td>att_ratios</td><td>16, 8, 4: input pixels per attention cell</td></tr>
 *   <tr><td>{@code attNmsKernel}</td><td>att_nms_ks</td><td>3: peak NMS window of the attention maps</td></tr>
 *   <tr><td>{@code maxCrops}</td><td>att_max_crops</td><td>30: crops per image at most</td></tr>
 *   <tr><td>{@code refDets}</td><td>ref_dets</td><td>true: confident first-stage boxes add locations</td></tr>
 *   <tr><td>{@code k}, {@code kernel}</td><td>top_k, nms_kernel</td><td>12, 3: corners per map, peak NMS</td></tr>
 *   <tr><td>{@code aeThreshold}</td><td>ae_threshold</td><td>0.3: largest tag distance of a pair</td></tr>
 *   <tr><td>{@code numDets}</td><td>num_dets</td><td>12: pairs kept per crop</td></tr>
 *   <tr><td>{@code merge}</td><td>nms_algorithm, nms_threshold</td><td>Gaussian soft-NMS, sigma 0.7, Nt 0.5,
 *       threshold 0.001, per class, with the test code's overlap ({@code +1} on widths and heights, {@link
 *       SoftNmsOptions#pixelInclusive()})</td></tr>
 *   <tr><td>{@code maxPerImage}</td><td>max_per_image</td><td>100 (ties at the cut kept)</td></tr>
 *   <tr><td>{@code cropBatch}</td><td>batch_size of batch_decode</td><td>32 crops per network run</td></tr>
 * </table>
 *
 * <p>Fixed by the test code, not settings: corner pairs with a corner on the map border are rejected
 * ({@code no_border}), first-stage boxes are kept above score 0.3 and add locations above 0.5, location NMS uses
 * 16 / scale. One refinement round, as the config's single attention threshold gives. Immutable.
 */
public record SaccadeSettings(
    List<Integer> initSizes,
    double attThreshold,
    List<Double> attScales,
    List<Integer> attRatios,
    int attNmsKernel,
    int maxCrops,
    boolean refDets,
    int k,
    int kernel,
    double aeThreshold,
    int numDets,
    SoftNmsOptions merge,
    int maxPerImage,
    int cropBatch) {

  /** Family defaults of K and the detection cap, also used by {@code keydet decode} on one crop's heads. */
  public static final int DEFAULT_K = 12;
  public static final int DEFAULT_NUM_DETS = 12;
  public static final double DEFAULT_AE_THRESHOLD = 0.3;

  /** Validation and copies. */
  public SaccadeSettings {
    if (initSizes == null || initSizes.isEmpty() || initSizes.stream().anyMatch(s -> s == null || s <= 0)) {
      throw new InvalidConfigException("saccade init sizes must be positive, got " + initSizes);
    }
    if (attScales == null || attRatios == null || attScales.size() != attRatios.size() || attScales.isEmpty()
        || attScales.stream().anyMatch(s -> s == null || !(s > 0))
        || attRatios.stream().anyMatch(r -> r == null || r <= 0)) {
      throw new InvalidConfigException("saccade attention scales and ratios must be positive and as many as the"
          + " attention maps, got scales " + attScales + " and ratios " + attRatios);
    }
    if (!(attThreshold >= 0 && attThreshold < 1)) {
      throw new InvalidConfigException("saccade attention threshold must be in [0, 1), got " + attThreshold);
    }
    if (attNmsKernel <= 0 || attNmsKernel % 2 == 0 || kernel <= 0 || kernel % 2 == 0) {
      throw new InvalidConfigException("NMS kernels must be positive odd numbers, got attention " + attNmsKernel
          + " and corners " + kernel);
    }
    if (maxCrops < 0 || k <= 0 || numDets <= 0 || maxPerImage <= 0 || cropBatch <= 0) {
      throw new InvalidConfigException("saccade counts out of range: maxCrops " + maxCrops + " (>= 0), k " + k
          + ", numDets " + numDets + ", maxPerImage " + maxPerImage + ", cropBatch " + cropBatch + " (> 0)");
    }
    if (!(aeThreshold >= 0) || Double.isInfinite(aeThreshold) || merge == null) {
      throw new InvalidConfigException("aeThreshold must be a finite number >= 0 and merge set, got " + aeThreshold);
    }
    initSizes = List.copyOf(initSizes);
    attScales = List.copyOf(attScales);
    attRatios = List.copyOf(attRatios);
  }

  /** The config's settings (see the table). */
  public static SaccadeSettings defaults() {
    return new SaccadeSettings(List.of(192, 255), 0.3, List.of(1.0, 2.0, 4.0), List.of(16, 8, 4), 3, 30, true,
        DEFAULT_K, 3, DEFAULT_AE_THRESHOLD, DEFAULT_NUM_DETS,
        SoftNmsOptions.builder().optMethod(SoftNmsMethod.GAUSSIAN).optSigma(0.7f).optNt(0.5f)
            .optPixelInclusive(true).build(), 100, 32);
  }

  /**
   * These settings with the corner decoding of {@code o} where it sets them: K, detection cap and tag threshold
   * when set, the kernel always (its default, 3, is the config's), and the family settings {@code att-max-crops}
   * (Integer) and {@code att-threshold} (Double).
   */
  public SaccadeSettings withDecodeOptions(DecodeOptions o) {
    return new SaccadeSettings(initSizes, o.familySetting("att-threshold", Double.class, attThreshold), attScales,
        attRatios, attNmsKernel, o.familySetting("att-max-crops", Integer.class, maxCrops), refDets, o.kOr(k),
        o.kernel(), o.aeThresholdOr(aeThreshold), o.numDetsOr(numDets), merge, maxPerImage, cropBatch);
  }

  /** A copy with another crop limit. */
  public SaccadeSettings withMaxCrops(int v) {
    return new SaccadeSettings(initSizes, attThreshold, attScales, attRatios, attNmsKernel, v, refDets, k, kernel,
        aeThreshold, numDets, merge, maxPerImage, cropBatch);
  }

  /** A copy with another number of crops per network run. */
  public SaccadeSettings withCropBatch(int v) {
    return new SaccadeSettings(initSizes, attThreshold, attScales, attRatios, attNmsKernel, maxCrops, refDets, k,
        kernel, aeThreshold, numDets, merge, maxPerImage, v);
  }
}
