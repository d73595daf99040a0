package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;

import io.github.keydet.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * CenterNet "Objects as Points" {@code ctdet} decoding: peak NMS on the center heatmap, top-K, then the box
 * {@code (x - w/2, y - h/2, x + w/2, y + h/2)} around the (sub-pixel) center.
 *
 * <p>Heads (NCHW, or NHWC per {@link Config#layout()}):
 *
 * <ul>
 *   <li>{@code hm} [N, C, H, W] — probabilities (sigmoid applied) unless {@link Config#activation()} says logits;
 *   <li>{@code wh} [N, 2, H, W], or [N, 2C, H, W] for category-specific sizes (channels 2c, 2c + 1);
 *   <li>{@code reg} [N, 2, H, W] sub-pixel offset, or {@code null}: then the center is the cell + 0.5.
 * </ul>
 *
 * Output: per image, K candidates best first (including zero-score ones, as the original), in output-map
 * cells. Stateless and thread-safe.
 */
public final class CenterNetDecoder implements HeadDecoder {
  private final Config config;

  /** A decoder with the given settings. */
  public CenterNetDecoder(Config config) {
    this.config = config;
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /** Decodes heads {@code hm}, {@code wh} and optional {@code reg}. */
  @Override
  public List<List<Candidate>> decode(Heads heads) {
    return decode(heads.view("hm"), heads.view("wh"), heads.optView("reg").orElse(null));
  }

  /** Decodes ND4J heads; see the class comment for shapes. */
  public List<List<Candidate>> decode(INDArray hm, INDArray wh, INDArray reg) {
    Layout layout = config.layout();
    HeadView heat = HeadView.of("hm", hm, layout);
    HeadView size = HeadView.of("wh", wh, layout);
    HeadView offset = reg == null ? null : HeadView.of("reg", reg, layout);
    return decode(heat, size, offset);
  }

  /** Decodes head views; see the class comment for shapes. */
  public List<List<Candidate>> decode(HeadView heat, HeadView size, HeadView offset) {
    int classes = heat.channels();
    boolean catSpec = size.channels() == 2 * classes && classes > 1;
    if (size.channels() != 2 && !catSpec) {
      throw new InvalidInputException(
          "head 'wh' must have 2 or 2*C = " + (2 * classes) + " channels, got " + size.describe());
    }
    size.requireSameGrid(heat, -1);
    if (offset != null) {
      offset.requireSameGrid(heat, 2);
    }
    List<List<Candidate>> out = new ArrayList<>(heat.batch());
    for (int n = 0; n < heat.batch(); n++) {
      Peaks peaks = DecodeChecks.requireProbabilities(
          PeakTopK.select(heat, n, config.k(), config.kernel(), config.activation()), heat, n, config.activation());
      List<Candidate> items = new ArrayList<>(peaks.count());
      for (int i = 0; i < peaks.count(); i++) {
        int c = peaks.classes()[i];
        int y = peaks.ys()[i];
        int x = peaks.xs()[i];
        float cx = CenterGather.centerX(offset, n, y, x);
        float cy = CenterGather.centerY(offset, n, y, x);
        int wc = catSpec ? 2 * c : 0;
        float bw = CenterGather.value(size, n, wc, y, x);
        float bh = CenterGather.value(size, n, wc + 1, y, x);
        items.add(
            Candidate.box(cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2, peaks.scores()[i], c));
      }
      out.add(items);
    }
    return out;
  }

  /**
   * Settings of {@link CenterNetDecoder}.
   *
   * @param k candidates per image (CenterNet's default 100)
   * @param kernel peak-NMS window (3)
   * @param activation what {@code hm} holds (probabilities)
   * @param layout head layout (NCHW)
   */
  public record Config(int k, int kernel, Activation activation, Layout layout) {
    /** Validates. */
    public Config {
      DecodeChecks.requirePositiveK(k);
      DecodeChecks.requireOddKernel(kernel);
      if (activation == null || layout == null) {
        throw new io.github.keydet.api.InvalidConfigException("activation and layout must be set");
      }
    }

    /** CenterNet's test defaults: K 100, kernel 3, probabilities, NCHW. */
    public static Config defaults() {
      return new Config(100, 3, Activation.PROBABILITIES, Layout.NCHW);
    }

    public Config withK(int newK) {
      return new Config(newK, kernel, activation, layout);
    }

    public Config withKernel(int newKernel) {
      return new Config(k, newKernel, activation, layout);
    }

    public Config withActivation(Activation newActivation) {
      return new Config(k, kernel, newActivation, layout);
    }

    public Config withLayout(Layout newLayout) {
      return new Config(k, kernel, activation, newLayout);
    }
  }
}
