package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CenterNet {@code multi_pose} decoding (human pose: person centers plus J joints, J = 17 for COCO).
 *
 * <p>Heads (NCHW, or NHWC per {@link Config#layout()}):
 *
 * <ul>
 *   <li>{@code hm} [N, C, H, W] center heatmap (C = 1 for COCO persons);
 *   <li>{@code wh} [N, 2, H, W] box size; {@code reg} [N, 2, H, W] optional center offset;
 *   <li>{@code hps} [N, 2J, H, W] joint offsets (x, y per joint) from the <em>integer</em> center cell;
 *   <li>{@code hm_hp} [N, J, H, W] optional joint heatmaps; {@code hp_offset} [N, 2, H, W] optional joint
 *       sub-pixel offsets (used only with {@code hm_hp}).
 * </ul>
 *
 * <p>Rules (those of the original {@code multi_pose_decode}):
 *
 * <ol>
 *   <li>Peak NMS and top-K on {@code hm}; box {@code (x - w/2, y - h/2, x + w/2, y + h/2)} around the center
 *       cell plus {@code reg} (plus 0.5 without {@code reg}).
 *   <li>Regressed joint j = (integer center x + hps[2j], integer center y + hps[2j + 1]) — before {@code reg}.
 *   <li>With {@code hm_hp}: each joint channel is peak-NMS'd and its own top K taken over H·W; a heatmap joint
 *       sits at its cell plus {@code hp_offset} (plus 0.5 without it). Heatmap joints scoring
 *       {@code <= jointThreshold} are invalid (score -1, coordinates -10000, as in the original).
 *   <li>For each candidate and joint, the heatmap joint nearest (Euclidean, first one on ties) to the regressed
 *       joint replaces it unless it lies strictly outside the box, its score is below {@code jointThreshold},
 *       or its distance exceeds {@code distanceRatio · max(box h, box w)}.
 * </ol>
 *
 * <p>{@link Config#snapping()} changes rule 4 for the Enhanced-CenterNet variants (GitHub
 * Wastoon/CenterNet-Multi-Func-Det, {@code src/lib/models/decode.py}): {@link JointSnapping#NONE} is its {@code
 * landmark_decode} with {@code reg_only}, the regressed joints are kept and {@code hm_hp} is not read; {@link
 * JointSnapping#ALWAYS} is its {@code deepfashion2_pose_decode}, which computes the rejection mask and then zeroes
 * it, so every joint takes the nearest heatmap joint, even an invalid one at (-10000, -10000) when no joint of its
 * channel scores above the threshold.
 *
 * <p>Output per image: K candidates best first (zero-score ones included, as the original), in output-map
 * cells; {@link Candidate#points()} holds the J joints in order, and {@link Candidate#pointScores()} the
 * activated score of the nearest heatmap joint that was considered for each, whether or not it replaced the
 * regressed joint (the original computes it and does not return it); 0 when that nearest one is an invalid
 * joint (all of them sit at (-10000, -10000)) or without {@code hm_hp}. Stateless and thread-safe.
 */
public final class MultiPoseDecoder extends ConfiguredDecoder<MultiPoseDecoder.Config> {
  /** Where the original puts heatmap joints below the threshold. */
  static final float INVALID_COORD = -10000f;


  /** A decoder with the given settings. */
  public MultiPoseDecoder(Config config) {
    super(config);
  }

  @Override
  public List<List<Candidate>> decode(Heads heads) {
    Layout layout = heads.layout();
    requireLayout(heads, config.layout());
    HeadView hm = heads.view("hm");
    HeadView wh = heads.view("wh");
    HeadView hps = heads.view("hps");
    HeadView reg = heads.optView("reg").orElse(null);
    HeadView hmHp = heads.optView("hm_hp").orElse(null);
    HeadView hpOffset = hmHp == null ? null : heads.optView("hp_offset").orElse(null);
    return decode(hm, wh, hps, reg, hmHp, hpOffset);
  }

  /**
   * Decodes head views; see the class comment for shapes.
   *
   * @param reg may be null
   * @param hmHp may be null (regressed joints only)
   * @param hpOffset may be null
   */
  public List<List<Candidate>> decode(
      HeadView hm, HeadView wh, HeadView hps, HeadView reg, HeadView hmHp, HeadView hpOffset) {
    wh.requireSameGrid(hm, 2);
    if (hps.channels() % 2 != 0) {
      throw new InvalidInputException("head 'hps' must have 2J channels (x, y per joint), got " + hps.describe());
    }
    hps.requireSameGrid(hm, -1);
    int joints = hps.channels() / 2;
    if (reg != null) {
      reg.requireSameGrid(hm, 2);
    }
    if (hmHp != null) {
      hmHp.requireSameGrid(hm, joints);
      if (hpOffset != null) {
        hpOffset.requireSameGrid(hm, 2);
      }
    }
    int k = config.k();
    List<List<Candidate>> out = new ArrayList<>(hm.batch());
    for (int n = 0; n < hm.batch(); n++) {
      Peaks peaks = DecodeChecks.requireProbabilities(
          PeakTopK.select(hm, n, k, config.kernel(), config.activation()), hm, n, config.activation());
      JointTable table =
          hmHp == null || config.snapping() == JointSnapping.NONE ? null : jointTable(hmHp, hpOffset, n, joints);
      List<Candidate> items = new ArrayList<>(peaks.count());
      SnapScratch scratch = table == null ? null : new SnapScratch(joints);
      for (int i = 0; i < peaks.count(); i++) {
        items.add(candidate(n, peaks, i, wh, hps, reg, joints, table, scratch));
      }
      out.add(items);
    }
    return out;
  }

  /** Candidate i of {@code peaks}; {@code scratch} is overwritten (null without a joint table). */
  private Candidate candidate(
      int n, Peaks peaks, int i, HeadView wh, HeadView hps, HeadView reg, int joints, JointTable table,
      SnapScratch scratch) {
    int y = peaks.ys()[i];
    int x = peaks.xs()[i];
    float cx = CenterGather.centerX(reg, n, y, x);
    float cy = CenterGather.centerY(reg, n, y, x);
    float bw = CenterGather.value(wh, n, 0, y, x);
    float bh = CenterGather.value(wh, n, 1, y, x);
    float x1 = cx - bw / 2;
    float y1 = cy - bh / 2;
    float x2 = cx + bw / 2;
    float y2 = cy + bh / 2;
    float[] points = new float[2 * joints];
    float[] scores = new float[joints];
    for (int j = 0; j < joints; j++) {
      points[2 * j] = x + hps.finite(n, 2 * j, y, x);
      points[2 * j + 1] = y + hps.finite(n, 2 * j + 1, y, x);
    }
    if (table == null) {
      return Candidate.withPoints(x1, y1, x2, y2, peaks.scores()[i], peaks.classes()[i], points, scores);
    }
    float maxSide = Math.max(y2 - y1, x2 - x1) * config.distanceRatio();
    float[] rx = scratch.rx;
    float[] ry = scratch.ry;
    for (int j = 0; j < joints; j++) {
      rx[j] = points[2 * j];
      ry[j] = points[2 * j + 1];
    }
    // The nearest heatmap joint, invalid ones (all at -10000, -10000) included as the original does: the first
    // whose float distance (the float square root of the squared one, the original's distance) is the least, as
    // torch's min picks. First the least squared distance of every joint, entry by entry over all joints at once
    // (a loop the JIT vectorises); the least distance is its square root, as the float square root is monotone.
    float[] least = scratch.least;
    Arrays.fill(least, Float.POSITIVE_INFINITY);
    for (int m = 0; m < table.k; m++) {
      float[] tx = table.xsByEntry[m];
      float[] ty = table.ysByEntry[m];
      for (int j = 0; j < joints; j++) {
        float dx = rx[j] - tx[j];
        float dy = ry[j] - ty[j];
        least[j] = Math.min(least[j], dx * dx + dy * dy);
      }
    }
    for (int j = 0; j < joints; j++) {
      float bestDist = (float) Math.sqrt(least[j]);
      // squared distances whose square root can round to bestDist are below the square of the next float up
      float up = Math.nextUp(bestDist);
      double limit = (double) up * up;
      int base = j * table.stride;
      int best = 0;
      for (int m = 0; m < table.k; m++) {
        float dx = rx[j] - table.xs[base + m];
        float dy = ry[j] - table.ys[base + m];
        float d2 = dx * dx + dy * dy;
        if (d2 <= limit && (float) Math.sqrt(d2) == bestDist) {
          best = m;
          break;
        }
      }
      float hx = table.xs[base + best];
      float hy = table.ys[base + best];
      float hs = table.masked[base + best];
      scores[j] = table.rawScores[base + best];
      boolean reject = config.snapping() == JointSnapping.GATED
          && (hx < x1 || hx > x2 || hy < y1 || hy > y2 || hs < config.jointThreshold() || bestDist > maxSide);
      if (!reject) {
        points[2 * j] = hx;
        points[2 * j + 1] = hy;
      }
    }
    return Candidate.withPoints(x1, y1, x2, y2, peaks.scores()[i], peaks.classes()[i], points, scores);
  }

  /**
   * The K heatmap joints per joint channel, with invalid ones collapsed: their coordinates are all (-10000,
   * -10000), so only the first (best-scoring) of them can be the nearest; the others are left out.
   *
   * <p>Each joint's top K is taken in place with the joint threshold as floor: joints at or below it are all
   * invalid, cannot suppress a joint above it, and sort after every valid one, so the valid entries are those
   * of the full top K; the top K holds an invalid one exactly when fewer than K valid joints exist.
   */
  private JointTable jointTable(HeadView hmHp, HeadView hpOffset, int n, int joints) {
    int k = config.k();
    float thr = config.jointThreshold();
    float[] xs = new float[joints * k];
    float[] ys = new float[joints * k];
    float[] masked = new float[joints * k];
    float[] raw = new float[joints * k];
    int width = 0;
    int[] counts = new int[joints];
    ChannelRows rows = new ChannelRows(hmHp.height(), hmHp.width()); // one channel at a time
    for (int j = 0; j < joints; j++) {
      Peaks p = DecodeChecks.requireProbabilities(
          PeakTopK.selectChannel(hmHp, n, j, k, config.kernel(), config.activation(), thr, rows), hmHp, n,
          config.activation());
      int base = j * k;
      int c = 0;
      boolean invalidSeen = false;
      for (int m = 0; m < p.count(); m++) {
        float s = p.scores()[m];
        if (s > thr) {
          int py = p.ys()[m];
          int px = p.xs()[m];
          float ox = 0.5f;
          float oy = 0.5f;
          if (hpOffset != null) {
            ox = hpOffset.finite(n, 0, py, px);
            oy = hpOffset.finite(n, 1, py, px);
          }
          xs[base + c] = px + ox;
          ys[base + c] = py + oy;
          masked[base + c] = s;
          raw[base + c] = s;
          c++;
        } else if (!invalidSeen) {
          invalidSeen = true;
          xs[base + c] = INVALID_COORD;
          ys[base + c] = INVALID_COORD;
          masked[base + c] = -1f;
          raw[base + c] = 0f;
          c++;
        }
      }
      if (!invalidSeen && p.count() < k) {
        xs[base + c] = INVALID_COORD;
        ys[base + c] = INVALID_COORD;
        masked[base + c] = -1f;
        raw[base + c] = 0f;
        c++;
      }
      counts[j] = c;
      width = Math.max(width, c);
    }
    // Pad every joint's row to the same width with copies of its last entry (never strictly nearer).
    for (int j = 0; j < joints; j++) {
      int base = j * k;
      for (int m = counts[j]; m < width; m++) {
        xs[base + m] = xs[base + m - 1];
        ys[base + m] = ys[base + m - 1];
        masked[base + m] = masked[base + m - 1];
        raw[base + m] = raw[base + m - 1];
      }
    }
    // the same entries entry-major, [m][j], for the search over all joints at once
    float[][] xsByEntry = new float[width][joints];
    float[][] ysByEntry = new float[width][joints];
    for (int j = 0; j < joints; j++) {
      for (int m = 0; m < width; m++) {
        xsByEntry[m][j] = xs[j * k + m];
        ysByEntry[m][j] = ys[j * k + m];
      }
    }
    return new JointTable(width, k, xs, ys, masked, raw, xsByEntry, ysByEntry);
  }

  /**
   * The per-candidate arrays of the snapping, J floats each, made once per image: the regressed joints' x and y, and
   * each joint's least squared distance to a heatmap joint. Three arrays, not one, so that the search's loop reads
   * each at the same index, which the JIT needs to vectorise it.
   */
  private record SnapScratch(float[] rx, float[] ry, float[] least) {
    SnapScratch(int joints) {
      this(new float[joints], new float[joints], new float[joints]);
    }
  }

  /** When a heatmap joint ({@code hm_hp}) replaces the regressed one. */
  public enum JointSnapping {
    /** CenterNet's {@code multi_pose_decode}: the nearest, unless outside the box, too weak or too far. */
    GATED,
    /** Never: the regressed joints (Enhanced-CenterNet's {@code landmark_decode} with {@code reg_only}). */
    NONE,
    /** Always the nearest (Enhanced-CenterNet's {@code deepfashion2_pose_decode}, whose mask is zeroed). */
    ALWAYS
  }

  /**
   * Heatmap joints of one image: row j holds joint j's entries at [j·stride, j·stride + k); {@code xsByEntry[m][j]}
   * and {@code ysByEntry[m][j]} are the coordinates of entry m of joint j again.
   */
  private record JointTable(
      int k, int stride, float[] xs, float[] ys, float[] masked, float[] rawScores, float[][] xsByEntry,
      float[][] ysByEntry) {}

  /**
   * Settings of {@link MultiPoseDecoder}.
   *
   * @param k candidates per image, and heatmap joints per joint channel (CenterNet: 100)
   * @param kernel peak-NMS window for {@code hm} and {@code hm_hp} (3)
   * @param activation what {@code hm} and {@code hm_hp} hold (probabilities)
   * @param layout head layout (NCHW)
   * @param jointThreshold heatmap joints scoring at or below it are ignored (0.1)
   * @param distanceRatio a heatmap joint farther than this times max(box h, box w) is ignored (0.3)
   * @param snapping when a heatmap joint replaces the regressed one ({@link JointSnapping#GATED})
   */
  public record Config(
      int k, int kernel, Activation activation, Layout layout, float jointThreshold, float distanceRatio,
      JointSnapping snapping) {
    /** Settings with CenterNet's gated snapping. */
    public Config(int k, int kernel, Activation activation, Layout layout, float jointThreshold, float distanceRatio) {
      this(k, kernel, activation, layout, jointThreshold, distanceRatio, JointSnapping.GATED);
    }

    /** Validates. */
    public Config {
      if (snapping == null) {
        throw new InvalidConfigException("joint snapping must be set");
      }
      DecodeChecks.requirePositiveK(k);
      DecodeChecks.requireOddKernel(kernel);
      if (activation == null || layout == null) {
        throw new InvalidConfigException("activation and layout must be set");
      }
      DecodeChecks.requireUnitInterval("joint threshold", jointThreshold);
      if (!(distanceRatio >= 0) || Float.isInfinite(distanceRatio)) {
        throw new InvalidConfigException("distance ratio must be finite and >= 0, got " + distanceRatio);
      }
    }

    /** CenterNet's test defaults: K 100, kernel 3, probabilities, NCHW, threshold 0.1, ratio 0.3. */
    public static Config defaults() {
      return new Config(100, 3, Activation.PROBABILITIES, Layout.NCHW, 0.1f, 0.3f);
    }

    public Config withK(int newK) {
      return new Config(newK, kernel, activation, layout, jointThreshold, distanceRatio, snapping);
    }

    public Config withKernel(int newKernel) {
      return new Config(k, newKernel, activation, layout, jointThreshold, distanceRatio, snapping);
    }

    public Config withActivation(Activation newActivation) {
      return new Config(k, kernel, newActivation, layout, jointThreshold, distanceRatio, snapping);
    }

    public Config withLayout(Layout newLayout) {
      return new Config(k, kernel, activation, newLayout, jointThreshold, distanceRatio, snapping);
    }

    public Config withJointThreshold(float newThreshold) {
      return new Config(k, kernel, activation, layout, newThreshold, distanceRatio, snapping);
    }

    public Config withDistanceRatio(float newRatio) {
      return new Config(k, kernel, activation, layout, jointThreshold, newRatio, snapping);
    }

    public Config withSnapping(JointSnapping newSnapping) {
      return new Config(k, kernel, activation, layout, jointThreshold, distanceRatio, newSnapping);
    }
  }
}
