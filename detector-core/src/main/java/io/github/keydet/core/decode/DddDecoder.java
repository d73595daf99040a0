package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * CenterNet {@code ddd} decoding (monocular 3D detection, KITTI): peak NMS and top-K on the center heatmap, then
 * the 3D values gathered at each center.
 *
 * <p>Heads (NCHW, or NHWC per {@link Config#layout()}):
 *
 * <ul>
 *   <li>{@code hm} [N, C, H, W] center heatmap;
 *   <li>{@code dep} [N, 1, H, W] depth: the network's raw output, decoded as {@code 1 / (sigmoid(dep) + 1e-6) -
 *       1} (what CenterNet's detector does before decoding), or already in metres per {@link
 *       Config#depthInput()};
 *   <li>{@code rot} [N, 8, H, W] two orientation bins: (bin1 logit 0, bin1 logit 1, bin1 sin, bin1 cos, bin2
 *       logit 0, bin2 logit 1, bin2 sin, bin2 cos);
 *   <li>{@code dim} [N, 3, H, W] height, width, length in metres;
 *   <li>{@code wh} [N, 2, H, W] optional 2D box size; {@code reg} [N, 2, H, W] optional center offset.
 * </ul>
 *
 * <p>The observation angle is CenterNet's {@code get_alpha}: {@code atan2(rot[2], rot[3]) - pi/2} when
 * {@code rot[1] > rot[5]} (strict), else {@code atan2(rot[6], rot[7]) + pi/2}.
 *
 * <p>Output per image: K candidates best first (zero-score ones included), in output-map cells. The 2D box is
 * {@code center ± wh/2}; without {@code wh} it is the empty box at the center. {@link Candidate#points()}
 * holds the one 2D center (x, y) that {@link io.github.keydet.core.geometry3d.Box3dGeometry} lifts to 3D once
 * mapped to image pixels, and {@link Candidate#object3d()} the gathered 3D values. Stateless and thread-safe.
 */
public final class DddDecoder extends ConfiguredDecoder<DddDecoder.Config> {

  /** A decoder with the given settings. */
  public DddDecoder(Config config) {
    super(config);
  }

  @Override
  public List<List<Candidate>> decode(Heads heads) {
    requireLayout(heads, config.layout());
    return decode(
        heads.view("hm"),
        heads.view("dep"),
        heads.view("rot"),
        heads.view("dim"),
        heads.optView("wh").orElse(null),
        heads.optView("reg").orElse(null));
  }

  /**
   * Decodes head views; see the class comment for shapes.
   *
   * @param wh may be null
   * @param reg may be null
   */
  public List<List<Candidate>> decode(
      HeadView hm, HeadView dep, HeadView rot, HeadView dim, HeadView wh, HeadView reg) {
    dep.requireSameGrid(hm, 1);
    rot.requireSameGrid(hm, 8);
    dim.requireSameGrid(hm, 3);
    if (wh != null) {
      wh.requireSameGrid(hm, 2);
    }
    if (reg != null) {
      reg.requireSameGrid(hm, 2);
    }
    List<List<Candidate>> out = new ArrayList<>(hm.batch());
    for (int n = 0; n < hm.batch(); n++) {
      Peaks peaks = DecodeChecks.requireProbabilities(
          PeakTopK.select(hm, n, config.k(), config.kernel(), config.activation()), hm, n, config.activation());
      List<Candidate> items = new ArrayList<>(peaks.count());
      for (int i = 0; i < peaks.count(); i++) {
        int y = peaks.ys()[i];
        int x = peaks.xs()[i];
        float cx = CenterGather.centerX(reg, n, y, x);
        float cy = CenterGather.centerY(reg, n, y, x);
        float[] r = new float[8];
        for (int c = 0; c < 8; c++) {
          r[c] = rot.finite(n, c, y, x);
        }
        float rawDepth = dep.finite(n, 0, y, x);
        float depth =
            config.depthInput() == DepthInput.RAW_OUTPUT ? decodeDepth(rawDepth) : rawDepth;
        Object3dValues values =
            new Object3dValues(
                depth, dim.finite(n, 0, y, x), dim.finite(n, 1, y, x), dim.finite(n, 2, y, x), alpha(r), r);
        float bw = wh == null ? 0f : wh.finite(n, 0, y, x);
        float bh = wh == null ? 0f : wh.finite(n, 1, y, x);
        items.add(
            new Candidate(
                cx - bw / 2,
                cy - bh / 2,
                cx + bw / 2,
                cy + bh / 2,
                peaks.scores()[i],
                peaks.classes()[i],
                new float[] {cx, cy},
                new float[] {peaks.scores()[i]},
                values));
      }
      out.add(items);
    }
    return out;
  }

  /** CenterNet's depth decoding of the raw {@code dep} output: {@code 1 / (sigmoid(d) + 1e-6) - 1}. */
  public static float decodeDepth(float raw) {
    return (float) (1.0 / (Activation.sigmoid(raw) + 1e-6) - 1.0);
  }

  /**
   * The observation angle of 8 rotation channels (CenterNet's {@code get_alpha}); in (-3pi/2, 3pi/2) as the
   * original, not wrapped.
   */
  public static float alpha(float[] rot) {
    if (rot[1] > rot[5]) {
      return (float) (Math.atan2(rot[2], rot[3]) - 0.5 * Math.PI);
    }
    return (float) (Math.atan2(rot[6], rot[7]) + 0.5 * Math.PI);
  }

  private static float finite(HeadView view, int n, int c, int y, int x) {
    float v = view.get(n, c, y, x);
    if (Float.isNaN(v)) {
      throw new InvalidInputException(
          "NaN in head '" + view.name() + "' at batch " + n + ", channel " + c + ", y " + y + ", x " + x);
    }
    return v;
  }

  /** What the {@code dep} head holds. */
  public enum DepthInput {
    /** The network's raw output; the decoder applies {@code 1 / (sigmoid + 1e-6) - 1}. */
    RAW_OUTPUT,
    /** Depth already decoded to metres. */
    METRES
  }

  /**
   * Settings of {@link DddDecoder}.
   *
   * @param k candidates per image (CenterNet: 100)
   * @param kernel peak-NMS window (3)
   * @param activation what {@code hm} holds (probabilities)
   * @param layout head layout (NCHW)
   * @param depthInput what {@code dep} holds (the raw network output)
   */
  public record Config(int k, int kernel, Activation activation, Layout layout, DepthInput depthInput) {
    /** Validates. */
    public Config {
      DecodeChecks.requirePositiveK(k);
      DecodeChecks.requireOddKernel(kernel);
      if (activation == null || layout == null || depthInput == null) {
        throw new InvalidConfigException("activation, layout and depth input must be set");
      }
    }

    /** CenterNet's test defaults: K 100, kernel 3, probabilities, NCHW, raw depth output. */
    public static Config defaults() {
      return new Config(100, 3, Activation.PROBABILITIES, Layout.NCHW, DepthInput.RAW_OUTPUT);
    }

    public Config withK(int newK) {
      return new Config(newK, kernel, activation, layout, depthInput);
    }

    public Config withKernel(int newKernel) {
      return new Config(k, newKernel, activation, layout, depthInput);
    }

    public Config withActivation(Activation newActivation) {
      return new Config(k, kernel, newActivation, layout, depthInput);
    }

    public Config withLayout(Layout newLayout) {
      return new Config(k, kernel, activation, newLayout, depthInput);
    }

    public Config withDepthInput(DepthInput newDepthInput) {
      return new Config(k, kernel, activation, layout, newDepthInput);
    }
  }
}
