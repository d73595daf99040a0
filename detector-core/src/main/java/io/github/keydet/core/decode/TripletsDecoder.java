package io.github.keydet.core.decode;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CenterNet "Keypoint Triplets" (Duankaiwen/CenterNet) decoding: CornerNet pairs (see {@link CornerNetDecoder})
 * kept only when a center keypoint of the same class lies inside the box's central region.
 *
 * <p>Heads: CornerNet's ({@code tl_heat}, {@code br_heat}, {@code tl_tag}, {@code br_tag}, optional
 * {@code tl_regr}/{@code br_regr}) plus {@code ct_heat} [N, C, H, W] (logits) and {@code ct_regr} [N, 2, H, W]
 * (required exactly when the corner offsets are present, as the original adds all three or none).
 *
 * <p>Rules, as {@code _decode} (models/py_utils/kp_utils.py) and {@code kp_detection} (test/coco.py):
 *
 * <ol>
 *   <li>corner pairs exactly as CornerNet (no border rejection), best {@code numDets} valid pairs;
 *   <li>centers: peak NMS + top-K (same K and kernel) on {@code ct_heat}, plus {@code ct_regr};
 *   <li>for a box (x1, y1, x2, y2) whose area in input pixels, {@code (x2 - x1)·(y2 - y1)·cellSize²}, is at most
 *       {@code smallBoxMaxArea} (22500 = 150²) the central region uses n = 3, otherwise n = 5: {@code
 *       ((n+1)/2·x1 + (n-1)/2·x2) / n < cx < ((n-1)/2·x1 + (n+1)/2·x2) / n}, same for y, strict — i.e.
 *       {@code (2x1 + x2)/3 .. (x1 + 2x2)/3} for small boxes and {@code (3x1 + 2x2)/5 .. (2x1 + 3x2)/5} for large;
 *   <li>the first center in top-K order (best first) of the box's class inside that region is matched; the
 *       score becomes {@code (2·pairScore + centerScore) / 3} = (tl + br + ct) / 3; boxes with no match are
 *       dropped (the original scores them -1).
 * </ol>
 *
 * The original makes the check after mapping boxes and centers to image pixels (and after clipping both to
 * the image, a step this decoder cannot see); the inequalities are unchanged by that affine map, only the area
 * needs the scale, hence {@link Config#cellSize()}.
 *
 * <p>Output: per image, candidates sorted by the new score, best first, box in output-map cells, class of the
 * tl corner, the matched center as the single point with its heatmap score. Stateless and thread-safe.
 */
public final class TripletsDecoder implements HeadDecoder {
  private final Config config;

  /** A decoder with the given settings. */
  public TripletsDecoder(Config config) {
    if (config == null) {
      throw new InvalidConfigException("config must be set");
    }
    this.config = config;
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  @Override
  public List<List<Candidate>> decode(Heads heads) {
    CornerPairing.CornerHeads h = CornerPairing.CornerHeads.from(heads);
    HeadView ctHeat = heads.view("ct_heat").requireSameGrid(h.tlHeat(), h.tlHeat().channels());
    HeadView ctRegr = heads.optView("ct_regr").map(v -> v.requireSameGrid(h.tlHeat(), 2)).orElse(null);
    if (h.hasOffsets() && ctRegr == null) {
      throw new InvalidInputException(
          "missing head 'ct_regr' (the corner offsets are present): have " + heads.names());
    }
    double cell2 = config.cellSize() * config.cellSize();
    List<List<Candidate>> out = new ArrayList<>(h.tlHeat().batch());
    for (int n = 0; n < h.tlHeat().batch(); n++) {
      CornerPairing.Pairs p =
          CornerPairing.pair(
              h, n, config.k(), config.kernel(), (float) config.aeThreshold(), config.numDets(), false,
              config.activation());
      Peaks ct = PeakTopK.select(ctHeat, n, config.k(), config.kernel(), config.activation());
      float[] cx = new float[ct.count()];
      float[] cy = new float[ct.count()];
      for (int j = 0; j < ct.count(); j++) {
        int y = ct.ys()[j];
        int x = ct.xs()[j];
        boolean offsets = h.hasOffsets();
        cx[j] = x + (offsets ? CornerPairing.checked(ctRegr, n, 0, y, x) : 0f);
        cy[j] = y + (offsets ? CornerPairing.checked(ctRegr, n, 1, y, x) : 0f);
      }
      long[] keys = new long[p.count()];
      int[] matchOf = new int[p.count()];
      float[] newScore = new float[p.count()];
      int kept = 0;
      for (int i = 0; i < p.count(); i++) {
        float x1 = p.x1()[i];
        float y1 = p.y1()[i];
        float x2 = p.x2()[i];
        float y2 = p.y2()[i];
        boolean small = (double) (x2 - x1) * (y2 - y1) * cell2 <= config.smallBoxMaxArea();
        float left;
        float right;
        float top;
        float bottom;
        if (small) {
          left = (2 * x1 + x2) / 3;
          right = (x1 + 2 * x2) / 3;
          top = (2 * y1 + y2) / 3;
          bottom = (y1 + 2 * y2) / 3;
        } else {
          left = (3 * x1 + 2 * x2) / 5;
          right = (2 * x1 + 3 * x2) / 5;
          top = (3 * y1 + 2 * y2) / 5;
          bottom = (2 * y1 + 3 * y2) / 5;
        }
        int c = p.classId()[i];
        for (int j = 0; j < ct.count(); j++) {
          if (ct.classes()[j] == c && cx[j] > left && cx[j] < right && cy[j] > top && cy[j] < bottom) {
            float s = (p.score()[i] * 2 + ct.scores()[j]) / 3;
            newScore[i] = s;
            matchOf[i] = j;
            keys[kept++] = CornerPairing.descendingKey(s, i);
            break;
          }
        }
      }
      Arrays.sort(keys, 0, kept);
      List<Candidate> items = new ArrayList<>(kept);
      for (int q = 0; q < kept; q++) {
        int i = (int) keys[q];
        int j = matchOf[i];
        items.add(
            Candidate.withPoints(
                p.x1()[i], p.y1()[i], p.x2()[i], p.y2()[i], newScore[i], p.classId()[i],
                new float[] {cx[j], cy[j]}, new float[] {ct.scores()[j]}));
      }
      out.add(items);
    }
    return out;
  }

  /**
   * Settings of {@link TripletsDecoder}.
   *
   * @param k corners and centers taken from each heatmap (CenterNet-104's {@code top_k}: 70)
   * @param kernel peak-NMS window (3)
   * @param aeThreshold largest embedding distance of a pair (0.5)
   * @param numDets most corner pairs considered per image (1000)
   * @param activation what the heatmaps hold (logits)
   * @param cellSize input pixels per output-map cell, used only for the small/large area test (4: stride 4;
   *     the original measures the area in image pixels, so divide by the test scale when it is not 1)
   * @param smallBoxMaxArea largest box area, in input pixels, that uses the n = 3 central region (22500)
   */
  public record Config(
      int k, int kernel, double aeThreshold, int numDets, Activation activation, double cellSize,
      double smallBoxMaxArea) {
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
      if (!(cellSize > 0) || Double.isInfinite(cellSize)) {
        throw new InvalidConfigException("cellSize must be a finite number > 0, got " + cellSize);
      }
      if (!(smallBoxMaxArea >= 0)) {
        throw new InvalidConfigException("smallBoxMaxArea must be >= 0, got " + smallBoxMaxArea);
      }
    }

    /** CenterNet-104's test settings: K 70, kernel 3, aeThreshold 0.5, numDets 1000, logits, stride 4, 150². */
    public static Config defaults() {
      return new Config(70, 3, 0.5, 1000, Activation.LOGITS, 4.0, 22500.0);
    }

    public Config withK(int newK) {
      return new Config(newK, kernel, aeThreshold, numDets, activation, cellSize, smallBoxMaxArea);
    }

    public Config withKernel(int newKernel) {
      return new Config(k, newKernel, aeThreshold, numDets, activation, cellSize, smallBoxMaxArea);
    }

    public Config withAeThreshold(double newThreshold) {
      return new Config(k, kernel, newThreshold, numDets, activation, cellSize, smallBoxMaxArea);
    }

    public Config withNumDets(int newNumDets) {
      return new Config(k, kernel, aeThreshold, newNumDets, activation, cellSize, smallBoxMaxArea);
    }

    public Config withActivation(Activation newActivation) {
      return new Config(k, kernel, aeThreshold, numDets, newActivation, cellSize, smallBoxMaxArea);
    }

    public Config withCellSize(double newCellSize) {
      return new Config(k, kernel, aeThreshold, numDets, activation, newCellSize, smallBoxMaxArea);
    }

    public Config withSmallBoxMaxArea(double newArea) {
      return new Config(k, kernel, aeThreshold, numDets, activation, cellSize, newArea);
    }
  }
}
