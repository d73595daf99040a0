package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.Heads;

import io.github.keydet.api.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * CornerNet decoding (also CornerNet-Lite Saccade and Squeeze, whose heads decode the same way), as
 * {@code _decode} of princeton-vl/CornerNet-Lite with the test configs' parameters.
 *
 * <p>Heads (canonical names; the layout is the one {@link Heads} declares):
 *
 * <ul>
 *   <li>{@code tl_heat}, {@code br_heat} [N, C, H, W] — logits (the sigmoid is applied here) unless {@link
 *       Config#activation()} says probabilities;
 *   <li>{@code tl_tag}, {@code br_tag} [N, 1, H, W] — associative embeddings;
 *   <li>{@code tl_regr}, {@code br_regr} [N, 2, H, W] — sub-pixel offsets (x, y), optional (both or neither);
 *       without them the corners are the integer cells, no +0.5.
 * </ul>
 *
 * <p>Rules: peak NMS (kernel 3) and top-K over C·H·W on each corner map; every (tl, br) pair is scored
 * {@code (tl + br) / 2} and rejected when the classes differ, {@code |tl_tag - br_tag| > aeThreshold}
 * (strict), {@code br_x < tl_x} or {@code br_y < tl_y} (after offsets), or, with {@link Config#rejectBorder()},
 * when the tl corner lies on the top row or left column or the br corner on the bottom row or right column
 * (integer cells). Of the valid pairs the best {@code numDets} are returned (the original keeps the top
 * {@code num_dets} of all K² pairs and its test drops those scored -1, which selects the same set).
 *
 * <p>Output: per image, valid candidates best first, box (tl_x, tl_y, br_x, br_y) in output-map cells, class of
 * the tl corner, no points. Stateless and thread-safe.
 */
public final class CornerNetDecoder extends ConfiguredDecoder<CornerNetDecoder.Config> {

  /** A decoder with the given settings. */
  public CornerNetDecoder(Config config) {
    super(config);
  }

  @Override
  public List<List<Candidate>> decode(Heads heads) {
    CornerPairing.CornerHeads h = CornerPairing.CornerHeads.from(heads);
    List<List<Candidate>> out = new ArrayList<>(h.tlHeat().batch());
    for (int n = 0; n < h.tlHeat().batch(); n++) {
      CornerPairing.Pairs p =
          CornerPairing.pair(
              h,
              n,
              config.k(),
              config.kernel(),
              (float) config.aeThreshold(),
              config.numDets(),
              config.rejectBorder(),
              config.activation());
      List<Candidate> items = new ArrayList<>(p.count());
      for (int i = 0; i < p.count(); i++) {
        items.add(Candidate.box(p.x1()[i], p.y1()[i], p.x2()[i], p.y2()[i], p.score()[i], p.classId()[i]));
      }
      out.add(items);
    }
    return out;
  }

  /**
   * Settings of {@link CornerNetDecoder}.
   *
   * @param k corners taken from each corner heatmap (CornerNet's test configs: 100)
   * @param kernel peak-NMS window (the test configs pass 3; 1 = no NMS, the function's own default)
   * @param aeThreshold largest embedding distance of a pair (0.5)
   * @param numDets most pairs kept per image (1000)
   * @param rejectBorder reject corners on the map border ({@code no_border}; off)
   * @param activation what the corner heatmaps hold (logits)
   */
  public record Config(
      int k, int kernel, double aeThreshold, int numDets, boolean rejectBorder, Activation activation) {
    /** Validates. */
    public Config {
      DecodeChecks.requirePositiveK(k);
      DecodeChecks.requireOddKernel(kernel);
      if (!(aeThreshold >= 0) || Double.isInfinite(aeThreshold)) {
        throw new InvalidConfigException("aeThreshold must be a finite number >= 0, got " + aeThreshold);
      }
      if (numDets <= 0) {
        throw new InvalidConfigException("numDets must be > 0, got " + numDets);
      }
      if (activation == null) {
        throw new InvalidConfigException("activation must be set");
      }
    }

    /** CornerNet's test settings: K 100, kernel 3, aeThreshold 0.5, numDets 1000, no border rejection, logits. */
    public static Config defaults() {
      return new Config(100, 3, 0.5, 1000, false, Activation.LOGITS);
    }

    public Config withK(int newK) {
      return new Config(newK, kernel, aeThreshold, numDets, rejectBorder, activation);
    }

    public Config withKernel(int newKernel) {
      return new Config(k, newKernel, aeThreshold, numDets, rejectBorder, activation);
    }

    public Config withAeThreshold(double newThreshold) {
      return new Config(k, kernel, newThreshold, numDets, rejectBorder, activation);
    }

    public Config withNumDets(int newNumDets) {
      return new Config(k, kernel, aeThreshold, newNumDets, rejectBorder, activation);
    }

    public Config withRejectBorder(boolean newRejectBorder) {
      return new Config(k, kernel, aeThreshold, numDets, newRejectBorder, activation);
    }

    public Config withActivation(Activation newActivation) {
      return new Config(k, kernel, aeThreshold, numDets, rejectBorder, newActivation);
    }
  }
}
