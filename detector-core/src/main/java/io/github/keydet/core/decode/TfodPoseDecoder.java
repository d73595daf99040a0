package io.github.keydet.core.decode;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import java.util.ArrayList;
import java.util.List;

/**
 * The keypoint post-processing of TensorFlow's Object-Detection-API CenterNet pose models as MoveNet MultiPose's
 * graph does it (read off its ops: the TF.js graph {@code movenet-multipose} ends in it, output {@code Identity}).
 *
 * <p>Heads, [N, H, W, C] or [N, C, H, W] per {@link Config#layout()}, in output cells:
 *
 * <ul>
 *   <li>{@code center} [N, 1, H, W] person-centre heat map;
 *   <li>{@code box_scale} [N, 2, H, W] box height, width; {@code box_offset} [N, 2, H, W] centre offset (y, x);
 *   <li>{@code kpt_heatmap} [N, J, H, W] keypoint heat maps;
 *   <li>{@code kpt_regress} [N, 2J, H, W] keypoint j = centre cell + (dy, dx) at channels (2j, 2j + 1);
 *   <li>{@code kpt_offset} [N, 2J, H, W] keypoint j sub-cell offset (dy, dx) at channels (2j, 2j + 1).
 * </ul>
 *
 * <p>Rules (the graph's, per batch item):
 *
 * <ol>
 *   <li>Centres: a cell is a peak when {@code |center - maxpool5x5(center)| < peakTolerance} (TF SAME pooling: the
 *       window is cut at the borders); the others score 0; the K best of the H·W cells (flat index y·W + x,
 *       ties: lower index first).
 *   <li>Box of person i at cell (y, x): (h, w) = max(box_scale, 0); ymin = clip(y + oy - h/2, 0, H), xmin =
 *       clip(x + ox - w/2, 0, W), ymax = clip(y + oy + h/2, 0, H), xmax = clip(x + ox + w/2, 0, W).
 *   <li>Regressed keypoint j of person i: (y + kpt_regress[2j], x + kpt_regress[2j + 1]) at the centre cell.
 *   <li>Keypoint j of person i: the cell (py, px) maximising {@code kpt_heatmap_j(py, px) · exp(-((py - ry)² +
 *       (px - rx)²) / (gaussianScale · min(H, W)))}, counted only inside person i's box ({@code ymin <= py < ymax},
 *       {@code xmin <= px < xmax}); first cell in row-major order on ties, cell (0, 0) when every value is 0.
 *       The keypoint is that cell plus {@code kpt_offset}; its score is the largest such weighted value over all K
 *       people at that cell.
 *   <li>Person score = centre score · the mean of the keypoint scores above {@code keypointThreshold} (the sum
 *       over at least one keypoint).
 * </ol>
 *
 * <p>Output per image: K candidates in centre-score order (not re-sorted by the person score: the graph keeps
 * the order), class 0, box and keypoints (x, y) in output cells. Stateless and thread-safe.
 */
public final class TfodPoseDecoder extends ConfiguredDecoder<TfodPoseDecoder.Config> {

  /** A decoder with the given settings. */
  public TfodPoseDecoder(Config config) {
    super(config);
  }

  @Override
  public List<List<Candidate>> decode(Heads heads) {
    requireLayout(heads, config.layout());
    return decode(heads.view("center"), heads.view("box_scale"), heads.view("box_offset"),
        heads.view("kpt_heatmap"), heads.view("kpt_regress"), heads.view("kpt_offset"));
  }

  /** Decodes head views; see the class comment for shapes. */
  public List<List<Candidate>> decode(HeadView center, HeadView boxScale, HeadView boxOffset, HeadView kptHeat,
      HeadView kptRegress, HeadView kptOffset) {
    center.requireSameGrid(center, 1);
    boxScale.requireSameGrid(center, 2);
    boxOffset.requireSameGrid(center, 2);
    int joints = kptHeat.channels();
    kptHeat.requireSameGrid(center, joints);
    kptRegress.requireSameGrid(center, 2 * joints);
    kptOffset.requireSameGrid(center, 2 * joints);
    if (config.k() > center.height() * center.width()) {
      throw new InvalidInputException("K " + config.k() + " exceeds the " + center.height() * center.width()
          + " cells of '" + center.name() + "' " + center.describe());
    }
    List<List<Candidate>> out = new ArrayList<>(center.batch());
    for (int n = 0; n < center.batch(); n++) {
      out.add(decodeItem(n, center, boxScale, boxOffset, kptHeat, kptRegress, kptOffset));
    }
    return out;
  }

  private List<Candidate> decodeItem(int n, HeadView center, HeadView boxScale, HeadView boxOffset,
      HeadView kptHeat, HeadView kptRegress, HeadView kptOffset) {
    int h = center.height();
    int w = center.width();
    int k = config.k();
    int joints = kptHeat.channels();
    float[] heat = activated(center, center.planes(n)[0], n, 0);
    TopKHeap top = new TopKHeap(k);
    float[] windowMax = windowMax(heat, h, w, config.kernel() / 2);
    for (int i = 0; i < h * w; i++) {
      float v = heat[i];
      top.offer(Math.abs(v - windowMax[i]) < config.peakTolerance() ? v : 0f, i);
    }
    int[] best = top.bestFirst();
    int people = best.length;
    float[][] box = new float[people][4]; // ymin, xmin, ymax, xmax in cells
    float[][] regY = new float[people][joints];
    float[][] regX = new float[people][joints];
    float[] centerScore = new float[people];
    for (int i = 0; i < people; i++) {
      int cell = (int) top.orderAt(best[i]);
      int cy = cell / w;
      int cx = cell % w;
      centerScore[i] = top.valueAt(best[i]);
      float bh = Math.max(boxScale.finite(n, 0, cy, cx), 0f);
      float bw = Math.max(boxScale.finite(n, 1, cy, cx), 0f);
      float y = cy + boxOffset.finite(n, 0, cy, cx);
      float x = cx + boxOffset.finite(n, 1, cy, cx);
      box[i][0] = clip(y - bh * 0.5f, h);
      box[i][1] = clip(x - bw * 0.5f, w);
      box[i][2] = clip(y + bh * 0.5f, h);
      box[i][3] = clip(x + bw * 0.5f, w);
      for (int j = 0; j < joints; j++) {
        regY[i][j] = cy + kptRegress.finite(n, 2 * j, cy, cx);
        regX[i][j] = cx + kptRegress.finite(n, 2 * j + 1, cy, cx);
      }
    }
    float sigma = Math.min(h, w) * config.gaussianScale();
    float[][] points = new float[people][2 * joints];
    float[][] scores = new float[people][joints];
    float[][] kptPlanes = kptHeat.planes(n);
    float[] rowBound = new float[h];
    float[] colBound = new float[w];
    float[] rowMax = new float[h];
    for (int j = 0; j < joints; j++) {
      float[] kh = activated(kptHeat, kptPlanes[j], n, j);
      for (int y = 0; y < h; y++) {
        float m = 0f;
        for (int x = 0; x < w; x++) {
          m = Math.max(m, kh[y * w + x]);
        }
        rowMax[y] = m;
      }
      for (int i = 0; i < people; i++) {
        int cell = argmax(kh, w, box[i], regY[i][j], regX[i][j], sigma, rowBound, colBound, rowMax);
        int py = cell / w;
        int px = cell % w;
        points[i][2 * j] = px + kptOffset.finite(n, 2 * j + 1, py, px);
        points[i][2 * j + 1] = py + kptOffset.finite(n, 2 * j, py, px);
        float s = 0f;
        for (int q = 0; q < people; q++) {
          s = Math.max(s, inBox(box[q], py, px) ? kh[cell] * weight(py, px, regY[q][j], regX[q][j], sigma) : 0f);
        }
        scores[i][j] = s;
      }
    }
    List<Candidate> items = new ArrayList<>(people);
    for (int i = 0; i < people; i++) {
      float sum = 0f;
      int count = 0;
      for (int j = 0; j < joints; j++) {
        if (scores[i][j] > config.keypointThreshold()) {
          sum += centerScore[i] * scores[i][j];
          count++;
        }
      }
      float score = (1f / Math.max(count, 1)) * sum;
      items.add(Candidate.withPoints(box[i][1], box[i][0], box[i][3], box[i][2], score, 0, points[i], scores[i]));
    }
    return items;
  }

  /**
   * The first cell (row-major) of the largest weighted heat value inside the box, or cell 0 when none is above 0
   * (the graph's argmax over all cells, where those outside the box are 0).
   *
   * <p>Rows, and the cells of a row, are visited from the one nearest the regressed keypoint outwards, so that a
   * good value is found early, and a row or cell is skipped when even a bound of its weighted values stays below
   * the best so far; ties go to the lower cell index, which gives the row-major answer in any visiting order. The bounds are exact, not
   * estimates: the float weight of (y, x) is at most the float weight of (y, rx) and of (ry, x) ({@code dy² + dx²}
   * rounds to no less than either term, and the steps after it are monotone), a float product with non-negative
   * factors keeps that order, and {@code rowMax} is the largest heat value of the whole row.
   */
  private static int argmax(float[] kh, int w, float[] box, float ry, float rx, float sigma, float[] rowBound,
      float[] colBound, float[] rowMax) {
    int h = kh.length / w;
    int y0 = Math.max(0, (int) Math.ceil(box[0]));
    int x0 = Math.max(0, (int) Math.ceil(box[1]));
    int yEnd = Math.min(h, (int) Math.ceil(box[2])); // y < box[2] for integer y
    int xEnd = Math.min(w, (int) Math.ceil(box[3]));
    if (y0 >= yEnd || x0 >= xEnd) {
      return 0;
    }
    for (int y = y0; y < yEnd; y++) {
      float dy = y - ry;
      rowBound[y] = gaussian(dy * dy, sigma);
    }
    for (int x = x0; x < xEnd; x++) {
      float dx = x - rx;
      colBound[x] = gaussian(dx * dx, sigma);
    }
    int yc = Math.max(y0, Math.min(yEnd - 1, Math.round(ry)));
    long best = 0L; // (value bits << 32) | cell: the running best value and its cell
    for (int y = yc; y >= y0; y--) {
      best = scanRow(kh, w, y, x0, xEnd, ry, rx, sigma, rowBound[y], colBound, rowMax[y], best);
    }
    for (int y = yc + 1; y < yEnd; y++) {
      best = scanRow(kh, w, y, x0, xEnd, ry, rx, sigma, rowBound[y], colBound, rowMax[y], best);
    }
    return (int) best;
  }

  /**
   * The cells [x0, xEnd) of row y offered to the running best, from the column nearest the regressed keypoint
   * outwards; packed as (float bits of the value &lt;&lt; 32) | cell. A value must be above 0, and beats the best
   * when larger, or equal with a lower cell.
   */
  private static long scanRow(float[] kh, int w, int y, int x0, int xEnd, float ry, float rx, float sigma,
      float rb, float[] colBound, float rowMax, long best) {
    if (rowMax * rb < Float.intBitsToFloat((int) (best >>> 32))) {
      return best;
    }
    int xc = Math.max(x0, Math.min(xEnd - 1, Math.round(rx)));
    for (int x = xc; x >= x0; x--) {
      best = offer(kh, w, y, x, ry, rx, sigma, Math.min(rb, colBound[x]), best);
    }
    for (int x = xc + 1; x < xEnd; x++) {
      best = offer(kh, w, y, x, ry, rx, sigma, Math.min(rb, colBound[x]), best);
    }
    return best;
  }

  /** Cell (y, x) offered to the packed running best; its weight is computed only if {@code bound} lets it win. */
  private static long offer(float[] kh, int w, int y, int x, float ry, float rx, float sigma, float bound, long best) {
    float bestValue = Float.intBitsToFloat((int) (best >>> 32));
    float v = kh[y * w + x];
    if (v > 0f && v * bound >= bestValue) {
      float weighted = v * weight(y, x, ry, rx, sigma);
      int cell = y * w + x;
      if (weighted > bestValue || (weighted == bestValue && weighted > 0f && cell < (int) best)) {
        return ((long) Float.floatToRawIntBits(weighted) << 32) | cell;
      }
    }
    return best;
  }

  /** The maximum of each cell's (2r + 1)² window, cut at the borders (TF SAME max-pool): rows, then columns. */
  private static float[] windowMax(float[] heat, int h, int w, int r) {
    float[] rows = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float m = Float.NEGATIVE_INFINITY;
        for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
          m = Math.max(m, heat[y * w + xx]);
        }
        rows[y * w + x] = m;
      }
    }
    float[] out = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float m = Float.NEGATIVE_INFINITY;
        for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
          m = Math.max(m, rows[yy * w + x]);
        }
        out[y * w + x] = m;
      }
    }
    return out;
  }

  /** exp(-squared distance / sigma), in float as the graph computes it. */
  private static float weight(int y, int x, float ry, float rx, float sigma) {
    float dy = y - ry;
    float dx = x - rx;
    return gaussian(dy * dy + dx * dx, sigma);
  }

  private static float gaussian(float d2, float sigma) {
    return (float) Math.exp(-d2 / sigma);
  }

  private static boolean inBox(float[] box, int y, int x) {
    return y >= box[0] && y < box[2] && x >= box[1] && x < box[3];
  }

  private static float clip(float v, int max) {
    return Math.max(Math.min(v, max), 0f);
  }

  /** Channel c of batch item n ({@code plane}, row-major [H·W], NaN already refused) as probabilities, in place. */
  private float[] activated(HeadView view, float[] plane, int n, int c) {
    Activation a = config.activation();
    for (int i = 0; i < plane.length; i++) {
      float v = a.apply(plane[i]);
      if (a == Activation.PROBABILITIES && !(v >= 0f && v <= 1f)) {
        throw new InvalidInputException("heatmap '" + view.name() + "' is declared as probabilities but holds "
            + v + " at batch " + n + ", channel " + c + ", y " + i / view.width() + ", x " + i % view.width()
            + " (outside [0, 1]; if the model outputs logits, set the spec's heatmaps to LOGITS)");
      }
      plane[i] = v;
    }
    return plane;
  }

  /**
   * Settings.
   *
   * @param k people per image (the graph: 6)
   * @param kernel centre peak window (odd; the graph: 5)
   * @param peakTolerance a cell is a peak when it differs from its window's maximum by less (the graph: 1.0133e-6)
   * @param keypointThreshold keypoint scores above it count in the person score (the graph: 0.126953125)
   * @param gaussianScale keypoint weight exp(-d² / (gaussianScale · min(H, W))) (the graph: 0.300048828125)
   * @param activation what the heat maps hold
   * @param layout head layout
   */
  public record Config(int k, int kernel, float peakTolerance, float keypointThreshold, float gaussianScale,
      Activation activation, Layout layout) {
    /** Validates. */
    public Config {
      DecodeChecks.requirePositiveK(k);
      DecodeChecks.requireOddKernel(kernel);
      if (!(peakTolerance > 0) || Float.isInfinite(peakTolerance)) {
        throw new InvalidConfigException("peak tolerance must be finite and > 0, got " + peakTolerance);
      }
      DecodeChecks.requireUnitInterval("keypoint threshold", keypointThreshold);
      if (!(gaussianScale > 0) || Float.isInfinite(gaussianScale)) {
        throw new InvalidConfigException("gaussian scale must be finite and > 0, got " + gaussianScale);
      }
      if (activation == null || layout == null) {
        throw new InvalidConfigException("activation and layout must be set");
      }
    }

    /** The constants of MoveNet MultiPose's graph (float32 values as stored in it), with K people. */
    public static Config movenet(int k, Activation activation, Layout layout) {
      return new Config(k, 5, 1.0132789611816406e-06f, 0.126953125f, 0.300048828125f, activation, layout);
    }
  }
}
