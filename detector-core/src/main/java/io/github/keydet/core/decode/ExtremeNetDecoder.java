package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * ExtremeNet decoding (xingyizhou/ExtremeNet {@code _exct_decode}; the class-agnostic variant is CenterNet's
 * {@code agnex_ct_decode}): four extreme-point heatmaps and a center heatmap grouped into boxes.
 *
 * <p>Heads (the layout is the one {@link Heads} declares):
 *
 * <ul>
 *   <li>{@code t_heat}, {@code l_heat}, {@code b_heat}, {@code r_heat} [N, C, H, W] — logits (the sigmoid is
 *       applied here) unless {@link Config#activation()} says probabilities; class-agnostic models may have any
 *       channel count (usually 1);
 *   <li>{@code ct_heat} [N, C, H, W] — center heatmap, same activation;
 *   <li>{@code t_regr}, {@code l_regr}, {@code b_regr}, {@code r_regr} [N, 2, H, W] — offsets, optional (all four
 *       or none); without them every point gets +0.5, as the original.
 * </ul>
 *
 * <p>Steps: sigmoid; edge aggregation when {@code aggrWeight > 0} (t and b along rows, l and r along columns,
 * see {@link ExtremeGrouping#aggregate}; the decoder skips lines that provably cannot reach the top K, see
 * {@link ExtremeGrouping#aggregatedPeaks}); peak NMS and top-K over C·H·W on each extreme map (the shared
 * {@link PeakTopK}); extreme scores clamped to 1 after NMS (selecting on the unclamped values is one of the
 * tie orders the original allows); grouping by {@link ExtremeGrouping#group} on the integer cells; score
 * {@code (t + l + b + r + 2·ct) / 6}; best {@code numDets} valid groups (the original ranks all K⁴ groups with
 * -1 per failed test and its test keeps scores above 0, which selects the valid ones).
 *
 * <p>Output: per image, valid candidates best first: box (l_x, t_y, r_x, b_y), the four extreme points in t, l,
 * b, r order as (x, y) pairs with offsets applied, their (clamped) heat scores as point scores, in output-map
 * cells. Stateless and thread-safe.
 */
public final class ExtremeNetDecoder extends ConfiguredDecoder<ExtremeNetDecoder.Config> {
  private static final String[] HEAT = {"t_heat", "l_heat", "b_heat", "r_heat"};
  private static final String[] REGR = {"t_regr", "l_regr", "b_regr", "r_regr"};


  /** A decoder with the given settings. */
  public ExtremeNetDecoder(Config config) {
    super(config);
  }

  @Override
  public List<List<Candidate>> decode(Heads heads) {
    HeadView[] heat = new HeadView[4];
    heat[0] = heads.view(HEAT[0]);
    for (int i = 1; i < 4; i++) {
      heat[i] = heads.view(HEAT[i]).requireSameGrid(heat[0], heat[0].channels());
    }
    HeadView ct =
        heads.view("ct_heat").requireSameGrid(heat[0], config.classAgnostic() ? -1 : heat[0].channels());
    HeadView[] regr = new HeadView[4];
    int present = 0;
    for (int i = 0; i < 4; i++) {
      regr[i] = heads.optView(REGR[i]).map(v -> v.requireSameGrid(heat[0], 2)).orElse(null);
      present += regr[i] == null ? 0 : 1;
    }
    if (present != 0 && present != 4) {
      throw new InvalidInputException(
          "offset heads t_regr, l_regr, b_regr, r_regr must all be present or all absent; have "
              + heads.names());
    }
    boolean offsets = present == 4;
    List<List<Candidate>> out = new ArrayList<>(heat[0].batch());
    for (int n = 0; n < heat[0].batch(); n++) {
      Peaks[] p = new Peaks[4];
      for (int i = 0; i < 4; i++) {
        p[i] = extremePeaks(heat[i], n, i % 2 == 0);
      }
      ExtremeGrouping.Groups g =
          ExtremeGrouping.group(
              p[0], p[1], p[2], p[3], ct, n, config.activation(), (float) config.scoreThreshold(),
              (float) config.centerThreshold(), config.classAgnostic(), config.numDets());
      List<Candidate> items = new ArrayList<>(g.count());
      int[][] idx = {g.t(), g.l(), g.b(), g.r()};
      for (int k = 0; k < g.count(); k++) {
        float[] pts = new float[8];
        float[] ps = new float[4];
        for (int i = 0; i < 4; i++) {
          int j = idx[i][k];
          int y = p[i].ys()[j];
          int x = p[i].xs()[j];
          HeadView offset = offsets ? regr[i] : null;
          pts[2 * i] = CenterGather.centerX(offset, n, y, x);
          pts[2 * i + 1] = CenterGather.centerY(offset, n, y, x);
          ps[i] = p[i].scores()[j];
        }
        // box = (l_x, t_y, r_x, b_y)
        items.add(Candidate.withPoints(pts[2], pts[1], pts[6], pts[5], g.score()[k], g.classId()[k], pts, ps));
      }
      out.add(items);
    }
    return out;
  }

  /** Top-K peaks of one extreme map (aggregated when configured), scores clamped to 1. */
  private Peaks extremePeaks(HeadView heat, int n, boolean horizontal) {
    Peaks p;
    if (config.aggrWeight() > 0) {
      p =
          ExtremeGrouping.aggregatedPeaks(
              heat, n, config.activation(), (float) config.aggrWeight(), horizontal, config.k(), config.kernel());
    } else {
      p = DecodeChecks.requireProbabilities(
          PeakTopK.select(heat, n, config.k(), config.kernel(), config.activation()), heat, n, config.activation());
    }
    return ExtremeGrouping.clampScores(p);
  }

  /**
   * Settings of {@link ExtremeNetDecoder}.
   *
   * @param k points taken from each extreme heatmap (40)
   * @param kernel peak-NMS window (3)
   * @param aggrWeight edge-aggregation weight (0.1; 0 = off)
   * @param scoreThreshold lowest extreme-point score of a valid group (0.1)
   * @param centerThreshold lowest center score of a valid group (0.1)
   * @param numDets most groups kept per image (1000)
   * @param classAgnostic class-agnostic extreme maps, class from the center map ({@code agnex_ct_decode}; off)
   * @param activation what the heatmaps hold (logits)
   */
  public record Config(
      int k,
      int kernel,
      double aggrWeight,
      double scoreThreshold,
      double centerThreshold,
      int numDets,
      boolean classAgnostic,
      Activation activation) {
    /** Validates. */
    public Config {
      DecodeChecks.requirePositiveK(k);
      DecodeChecks.requireOddKernel(kernel);
      if (!(aggrWeight >= 0) || Double.isInfinite(aggrWeight)) {
        throw new InvalidConfigException("aggrWeight must be a finite number >= 0, got " + aggrWeight);
      }
      DecodeChecks.requireUnitInterval("scoreThreshold", scoreThreshold);
      DecodeChecks.requireUnitInterval("centerThreshold", centerThreshold);
      if (numDets <= 0) {
        throw new InvalidConfigException("numDets must be > 0, got " + numDets);
      }
      if (activation == null) {
        throw new InvalidConfigException("activation must be set");
      }
    }

    /** ExtremeNet's test settings: K 40, kernel 3, aggrWeight 0.1, thresholds 0.1, numDets 1000, logits. */
    public static Config defaults() {
      return new Config(40, 3, 0.1, 0.1, 0.1, 1000, false, Activation.LOGITS);
    }

    public Config withK(int newK) {
      return new Config(newK, kernel, aggrWeight, scoreThreshold, centerThreshold, numDets, classAgnostic, activation);
    }

    public Config withKernel(int newKernel) {
      return new Config(k, newKernel, aggrWeight, scoreThreshold, centerThreshold, numDets, classAgnostic, activation);
    }

    public Config withAggrWeight(double w) {
      return new Config(k, kernel, w, scoreThreshold, centerThreshold, numDets, classAgnostic, activation);
    }

    public Config withScoreThreshold(double t) {
      return new Config(k, kernel, aggrWeight, t, centerThreshold, numDets, classAgnostic, activation);
    }

    public Config withCenterThreshold(double t) {
      return new Config(k, kernel, aggrWeight, scoreThreshold, t, numDets, classAgnostic, activation);
    }

    public Config withNumDets(int newNumDets) {
      return new Config(k, kernel, aggrWeight, scoreThreshold, centerThreshold, newNumDets, classAgnostic, activation);
    }

    public Config withClassAgnostic(boolean agnostic) {
      return new Config(k, kernel, aggrWeight, scoreThreshold, centerThreshold, numDets, agnostic, activation);
    }

    public Config withActivation(Activation newActivation) {
      return new Config(k, kernel, aggrWeight, scoreThreshold, centerThreshold, numDets, classAgnostic, newActivation);
    }
  }
}
