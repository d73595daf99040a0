package io.github.keydet.core.decode;

import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decoding of a center heatmap with per-cell distances to the box sides (TTFNet-style; the default COCO
 * CenterNet-MobileNetV3 model): peak NMS, top-K, and for the peak at cell (x, y) the box
 * {@code [s·x - l, s·y - t, s·x + r, s·y + b] / s}, where {@code s} is the output stride and l, t, r, b are the
 * four {@code ltrb} channels in input pixels. No sub-pixel offset head and no +0.5.
 *
 * <p>Heads: {@code hm} [N, C, H, W] and {@code ltrb} [N, 4, H, W] (or NHWC). Output: per image, K candidates
 * best first, in output-map cells (multiply by the stride for input pixels; with a power-of-two stride this is
 * exact). Stateless and thread-safe.
 */
public final class LtrbDecoder implements HeadDecoder {
  private final CenterNetDecoder.Config config;
  private final int stride;

  /**
   * A decoder.
   *
   * @param config K, kernel, activation and layout (as for ctdet)
   * @param stride output stride of the heads in input pixels
   */
  public LtrbDecoder(CenterNetDecoder.Config config, int stride) {
    if (stride <= 0) {
      throw new io.github.keydet.api.InvalidConfigException("stride must be > 0, got " + stride);
    }
    this.config = config;
    this.stride = stride;
  }

  /** Decodes heads {@code hm} and {@code ltrb}. */
  @Override
  public List<List<Candidate>> decode(Heads heads) {
    return decode(heads.view("hm"), heads.view("ltrb"));
  }

  /** Decodes ND4J heads. */
  public List<List<Candidate>> decode(INDArray hm, INDArray ltrb) {
    return decode(HeadView.of("hm", hm, config.layout()), HeadView.of("ltrb", ltrb, config.layout()));
  }

  /** Decodes head views. */
  public List<List<Candidate>> decode(HeadView heat, HeadView ltrb) {
    ltrb.requireSameGrid(heat, 4);
    float s = stride;
    List<List<Candidate>> out = new ArrayList<>(heat.batch());
    for (int n = 0; n < heat.batch(); n++) {
      Peaks peaks = DecodeChecks.requireProbabilities(
          PeakTopK.select(heat, n, config.k(), config.kernel(), config.activation()), heat, n, config.activation());
      List<Candidate> items = new ArrayList<>(peaks.count());
      for (int i = 0; i < peaks.count(); i++) {
        int y = peaks.ys()[i];
        int x = peaks.xs()[i];
        float px = s * x;
        float py = s * y;
        float x1 = (px - CenterGather.value(ltrb, n, 0, y, x)) / s;
        float y1 = (py - CenterGather.value(ltrb, n, 1, y, x)) / s;
        float x2 = (px + CenterGather.value(ltrb, n, 2, y, x)) / s;
        float y2 = (py + CenterGather.value(ltrb, n, 3, y, x)) / s;
        items.add(Candidate.box(x1, y1, x2, y2, peaks.scores()[i], peaks.classes()[i]));
      }
      out.add(items);
    }
    return out;
  }
}
