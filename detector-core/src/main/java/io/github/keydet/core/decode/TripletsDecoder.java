package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.image.ImageFrame;

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
 * The original makes the check after mapping boxes and centers to image pixels, dropping boxes that reach 5
 * pixels beyond the image and clipping the rest; {@link #run} with an {@link ImageFrame} and {@link #match} do
 * exactly that, and pool the runs of a flip test or of several test scales as the original does.
 * {@link #decode(Heads)} has no image: it checks in map cells, unclipped (the inequalities are unchanged by the
 * affine map, only the area needs the scale, hence {@link Config#cellSize()}).
 *
 * <p>Output: per image, candidates sorted by the new score, best first, box in output-map cells, class of the
 * tl corner, the matched center as the single point with its heatmap score. Stateless and thread-safe.
 */
public final class TripletsDecoder extends ConfiguredDecoder<TripletsDecoder.Config> {

  /** A decoder with the given settings. */
  public TripletsDecoder(Config config) {
    super(config);
  }

  /**
   * Decodes a batch with the central-region check made in output-map cells (no image frame; see the class
   * comment): each image's pairs against its own centers.
   */
  @Override
  public List<List<Candidate>> decode(Heads heads) {
    int batch = heads.view("tl_heat").batch();
    List<List<Candidate>> out = new ArrayList<>(batch);
    for (int n = 0; n < batch; n++) {
      Run run = run(heads, n, null);
      out.add(match(List.of(run), List.of(run)).get(0));
    }
    return out;
  }

  /**
   * Corner pairs and top-K centers of batch item {@code item}, the first half of decoding, for {@link #match}.
   *
   * @param frame where the run's map lies in the image, so that {@link #match} checks in image pixels as the
   *     original does; null to check in map cells
   */
  public Run run(Heads heads, int item, ImageFrame frame) {
    CornerPairing.CornerHeads h = CornerPairing.CornerHeads.from(heads);
    HeadView ctHeat = heads.view("ct_heat").requireSameGrid(h.tlHeat(), h.tlHeat().channels());
    HeadView ctRegr = heads.optView("ct_regr").map(v -> v.requireSameGrid(h.tlHeat(), 2)).orElse(null);
    if (h.hasOffsets() && ctRegr == null) {
      throw new InvalidInputException(
          "missing head 'ct_regr' (the corner offsets are present): have " + heads.names());
    }
    if (item < 0 || item >= h.tlHeat().batch()) {
      throw new InvalidInputException("batch item " + item + " outside [0, " + h.tlHeat().batch() + ")");
    }
    CornerPairing.Pairs p =
        CornerPairing.pair(
            h, item, config.k(), config.kernel(), (float) config.aeThreshold(), config.numDets(), false,
            config.activation());
    Peaks ct = DecodeChecks.requireProbabilities(
        PeakTopK.select(ctHeat, item, config.k(), config.kernel(), config.activation()), ctHeat, item,
        config.activation());
    float[] cx = new float[ct.count()];
    float[] cy = new float[ct.count()];
    for (int j = 0; j < ct.count(); j++) {
      int y = ct.ys()[j];
      int x = ct.xs()[j];
      boolean offsets = h.hasOffsets();
      cx[j] = x + (offsets ? ctRegr.finite(item, 0, y, x) : 0f);
      cy[j] = y + (offsets ? ctRegr.finite(item, 1, y, x) : 0f);
    }
    return new Run(p, cx, cy, ct.scores().clone(), ct.classes().clone(), frame);
  }

  /**
   * The central-region check of {@code kp_detection}: every pair of every run in {@code pairRuns} is kept when
   * a center of {@code centerRuns} (pooled in that order, each run's centers best first; the first that fits
   * is taken) of the same class lies strictly inside its central region.
   *
   * <p>With image frames (all runs must have one, or none) the check is the original's, in image pixels: a box
   * whose top-left lies at or beyond 5 pixels left of / above the image, or whose bottom-right lies at or beyond
   * 5 pixels right of / below it, is dropped; boxes and centers are clipped to the image; the small/large
   * area test uses the clipped box in image pixels. This is how the flip test (pairs and centers of both the
   * image and its mirror, mirrored back) and multi-scale testing (pairs of every scale, centers of scale 1
   * only) pool runs. Without frames, the check is made in map cells, unclipped, with {@link Config#cellSize()}
   * scaling the area.
   *
   * @return per pair run, its kept pairs as candidates in that run's map cells (box unclipped), best first; the
   *     matched center, in the same run's map cells, is the candidate's single point
   */
  public List<List<Candidate>> match(List<Run> pairRuns, List<Run> centerRuns) {
    if (pairRuns == null || centerRuns == null) {
      throw new InvalidInputException("pair and center runs must not be null");
    }
    boolean inImage = !pairRuns.isEmpty() && pairRuns.get(0).frame != null;
    for (List<Run> runs : List.of(pairRuns, centerRuns)) {
      for (Run r : runs) {
        if ((r.frame != null) != inImage) {
          throw new InvalidInputException("either every run has an image frame or none has");
        }
      }
    }
    int centers = 0;
    for (Run r : centerRuns) {
      centers += r.cx.length;
    }
    // pooled centers in the space of the check
    float[] px = new float[centers];
    float[] py = new float[centers];
    float[] ps = new float[centers];
    int[] pc = new int[centers];
    int at = 0;
    for (Run r : centerRuns) {
      for (int j = 0; j < r.cx.length; j++) {
        if (inImage) {
          px[at] = clip((float) r.frame.toImageX(r.cx[j]), r.frame.imageWidth());
          py[at] = clip((float) r.frame.toImageY(r.cy[j]), r.frame.imageHeight());
        } else {
          px[at] = r.cx[j];
          py[at] = r.cy[j];
        }
        ps[at] = r.cs[j];
        pc[at] = r.cc[j];
        at++;
      }
    }
    double cell2 = config.cellSize() * config.cellSize();
    List<List<Candidate>> out = new ArrayList<>(pairRuns.size());
    for (Run r : pairRuns) {
      CornerPairing.Pairs p = r.pairs;
      long[] keys = new long[p.count()];
      int[] matchOf = new int[p.count()];
      float[] newScore = new float[p.count()];
      int kept = 0;
      for (int i = 0; i < p.count(); i++) {
        float x1 = p.x1()[i];
        float y1 = p.y1()[i];
        float x2 = p.x2()[i];
        float y2 = p.y2()[i];
        double area;
        if (inImage) {
          ImageFrame f = r.frame;
          x1 = (float) f.toImageX(x1);
          y1 = (float) f.toImageY(y1);
          x2 = (float) f.toImageX(x2);
          y2 = (float) f.toImageY(y2);
          int w = f.imageWidth();
          int h = f.imageHeight();
          if (x1 <= -5 || x2 >= w + 5 || y1 <= -5 || y2 >= h + 5) {
            continue; // the original's _rescale_dets scores these -1
          }
          x1 = clip(x1, w);
          x2 = clip(x2, w);
          y1 = clip(y1, h);
          y2 = clip(y2, h);
          area = (double) (x2 - x1) * (y2 - y1);
        } else {
          area = (double) (x2 - x1) * (y2 - y1) * cell2;
        }
        boolean small = area <= config.smallBoxMaxArea();
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
        for (int j = 0; j < centers; j++) {
          if (pc[j] == c && px[j] > left && px[j] < right && py[j] > top && py[j] < bottom) {
            float s = (p.score()[i] * 2 + ps[j]) / 3;
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
        float mx = inImage ? (float) r.frame.toMapX(px[j]) : px[j];
        float my = inImage ? (float) r.frame.toMapY(py[j]) : py[j];
        items.add(
            Candidate.withPoints(
                p.x1()[i], p.y1()[i], p.x2()[i], p.y2()[i], newScore[i], p.classId()[i],
                new float[] {mx, my}, new float[] {ps[j]}));
      }
      out.add(items);
    }
    return out;
  }

  private static float clip(float v, int max) {
    return Math.max(0f, Math.min(max, v));
  }

  /**
   * Corner pairs and center keypoints of one image from one network run, in that run's output-map cells, with
   * where that map lies in the image (or no frame). Immutable.
   */
  public static final class Run {
    private final CornerPairing.Pairs pairs;
    private final float[] cx;
    private final float[] cy;
    private final float[] cs;
    private final int[] cc;
    private final ImageFrame frame;

    private Run(CornerPairing.Pairs pairs, float[] cx, float[] cy, float[] cs, int[] cc, ImageFrame frame) {
      this.pairs = pairs;
      this.cx = cx;
      this.cy = cy;
      this.cs = cs;
      this.cc = cc;
      this.frame = frame;
    }

    /** Number of corner pairs. */
    public int pairCount() {
      return pairs.count();
    }

    /** Number of center keypoints. */
    public int centerCount() {
      return cx.length;
    }

    /** The image frame, or null. */
    public ImageFrame frame() {
      return frame;
    }

    /**
     * The run of a horizontally mirrored input, mirrored back: {@code x -> mapWidth - x} (corners swap, as the
     * original's {@code out_width - dets[1, :, [2, 0]]}); the frame is kept, so it must be the unmirrored one.
     */
    public Run mirrored(int mapWidth) {
      int n = pairs.count();
      float[] x1 = new float[n];
      float[] x2 = new float[n];
      for (int i = 0; i < n; i++) {
        x1[i] = mapWidth - pairs.x2()[i];
        x2[i] = mapWidth - pairs.x1()[i];
      }
      float[] mx = new float[cx.length];
      for (int j = 0; j < cx.length; j++) {
        mx[j] = mapWidth - cx[j];
      }
      CornerPairing.Pairs m =
          new CornerPairing.Pairs(n, x1, pairs.y1(), x2, pairs.y2(), pairs.score(), pairs.classId());
      return new Run(m, mx, cy, cs, cc, frame);
    }
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
