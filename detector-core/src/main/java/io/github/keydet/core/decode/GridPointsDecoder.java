package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-point CenterNet ("GridNeighbor") decoding: several of the 9 grid points of a box each have a heatmap,
 * each peak regresses the whole box, and the boxes that agree vote. No public reference code exists; the rules
 * below are KeyDet's and are the contract.
 *
 * <p>Grid point {@code i} in 0..8 is row-major over the box's 3x3 grid: 0 top-left, 1 top-middle, 2 top-right,
 * 3 middle-left, 4 center, 5 middle-right, 6 bottom-left, 7 bottom-middle, 8 bottom-right; its relative
 * position in the box is {@code (fx, fy) = ((i % 3) / 2, (i / 3) / 2)}.
 *
 * <p>Heads (NCHW, or NHWC per {@link Config#layout()}): {@code hm_p{i}} [N, C, H, W] for any non-empty subset
 * of the grid points (the points present are the voters; P = their number); {@code wh} [N, 2, H, W] box size,
 * shared by all points; {@code reg} [N, 2, H, W] optional sub-pixel offset, shared.
 *
 * <p>Rules:
 *
 * <ol>
 *   <li><b>Per point:</b> peak NMS and top-K on each {@code hm_p{i}} (the shared {@link PeakTopK}). A peak at
 *       cell (x, y) sits at {@code p = (x + reg_x, y + reg_y)} ({@code + 0.5} without {@code reg}, as ctdet);
 *       with {@code (w, h) = wh} read at that cell, its box is placed so that p is at its grid position:
 *       {@code (p_x - fx·w, p_y - fy·h, p_x + (1 - fx)·w, p_y + (1 - fy)·h)}.
 *   <li><b>Voting:</b> all P·K boxes of an image are visited best score first (ties: lower point index, then
 *       better rank). An unassigned box seeds a group; every later unassigned box of the same class whose IoU
 *       with the seed ({@link BoundingBox#iou}) is {@code >= iouThreshold} joins it. Within a group each grid
 *       point votes once, with its best box (the first to join); further boxes of the same point are
 *       duplicates: absorbed, not counted.
 *   <li><b>Fusion:</b> the group's box is the score-weighted average of its voters' boxes (plain average when
 *       all voter scores are 0); its score is {@code (sum of voter scores) / P} — the mean over all P grid
 *       points, a point that did not vote counting 0, so agreement raises confidence and a box seen by one
 *       point out of P scores at most 1/P of its peak. With P = 1 this is ctdet with a placed box.
 *   <li><b>Output:</b> groups by fused score, best first (ties: seed order), at most {@code maxDetections} per
 *       image, in output-map cells. {@link Candidate#points()} has 9 (x, y) pairs in grid order: the voter's
 *       peak position for points that voted, else that grid position on the fused box; {@link
 *       Candidate#pointScores()} the voter's score, or 0.
 * </ol>
 *
 * Stateless and thread-safe.
 */
public final class GridPointsDecoder extends ConfiguredDecoder<GridPointsDecoder.Config> {
  /** Number of grid points of a box. */
  public static final int GRID_POINTS = 9;


  /** A decoder with the given settings. */
  public GridPointsDecoder(Config config) {
    super(config);
  }

  /** The heatmap head name of grid point {@code i}: {@code hm_p{i}}. */
  public static String headName(int i) {
    return "hm_p" + i;
  }

  /** Relative x of grid point {@code i} in its box: 0, 0.5 or 1. */
  public static float gridFx(int i) {
    return (i % 3) / 2f;
  }

  /** Relative y of grid point {@code i} in its box: 0, 0.5 or 1. */
  public static float gridFy(int i) {
    return (i / 3) / 2f;
  }

  @Override
  public List<List<Candidate>> decode(Heads heads) {
    if (heads.layout() != config.layout()) {
      throw new InvalidInputException(
          "heads are " + heads.layout() + " but the decoder is configured for " + config.layout());
    }
    HeadView[] points = new HeadView[GRID_POINTS];
    boolean any = false;
    for (int i = 0; i < GRID_POINTS; i++) {
      points[i] = heads.optView(headName(i)).orElse(null);
      any |= points[i] != null;
    }
    if (!any) {
      throw new InvalidInputException(
          "missing grid-point heatmaps: expected some of hm_p0..hm_p8, have " + heads.names());
    }
    return decode(points, heads.view("wh"), heads.optView("reg").orElse(null));
  }

  /**
   * Decodes head views.
   *
   * @param pointHeats 9 entries indexed by grid point, null where the model has no heatmap for that point
   * @param wh shared size head
   * @param reg shared offset head, may be null
   */
  public List<List<Candidate>> decode(HeadView[] pointHeats, HeadView wh, HeadView reg) {
    if (pointHeats.length != GRID_POINTS) {
      throw new InvalidInputException("expected 9 grid-point slots, got " + pointHeats.length);
    }
    HeadView ref = null;
    int present = 0;
    for (HeadView h : pointHeats) {
      if (h == null) {
        continue;
      }
      if (ref == null) {
        ref = h;
      } else {
        h.requireSameGrid(ref, ref.channels());
      }
      present++;
    }
    if (ref == null) {
      throw new InvalidInputException("no grid-point heatmap given");
    }
    wh.requireSameGrid(ref, 2);
    if (reg != null) {
      reg.requireSameGrid(ref, 2);
    }
    List<List<Candidate>> out = new ArrayList<>(ref.batch());
    for (int n = 0; n < ref.batch(); n++) {
      out.add(decodeImage(pointHeats, wh, reg, n, present));
    }
    return out;
  }

  private List<Candidate> decodeImage(HeadView[] pointHeats, HeadView wh, HeadView reg, int n, int present) {
    int k = config.k();
    int cap = present * k;
    float[] bx1 = new float[cap];
    float[] by1 = new float[cap];
    float[] bx2 = new float[cap];
    float[] by2 = new float[cap];
    float[] px = new float[cap];
    float[] py = new float[cap];
    float[] score = new float[cap];
    int[] cls = new int[cap];
    int[] point = new int[cap];
    int m = 0;
    for (int i = 0; i < GRID_POINTS; i++) {
      HeadView heat = pointHeats[i];
      if (heat == null) {
        continue;
      }
      Peaks peaks = DecodeChecks.requireProbabilities(
          PeakTopK.select(heat, n, k, config.kernel(), config.activation()), heat, n, config.activation());
      float fx = gridFx(i);
      float fy = gridFy(i);
      for (int r = 0; r < peaks.count(); r++) {
        int y = peaks.ys()[r];
        int x = peaks.xs()[r];
        float cx = CenterGather.centerX(reg, n, y, x);
        float cy = CenterGather.centerY(reg, n, y, x);
        float w = CenterGather.value(wh, n, 0, y, x);
        float h = CenterGather.value(wh, n, 1, y, x);
        px[m] = cx;
        py[m] = cy;
        bx1[m] = cx - fx * w;
        by1[m] = cy - fy * h;
        bx2[m] = cx + (1 - fx) * w;
        by2[m] = cy + (1 - fy) * h;
        score[m] = peaks.scores()[r];
        cls[m] = peaks.classes()[r];
        point[m] = i;
        m++;
      }
    }
    // visit order: score descending, ties by (point, rank) = insertion order (stable sort)
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(score[b], score[a]));
    boolean[] used = new boolean[m];
    int[] voters = new int[GRID_POINTS];
    List<Candidate> groups = new ArrayList<>();
    for (int oi = 0; oi < m; oi++) {
      int s = order[oi];
      if (used[s]) {
        continue;
      }
      used[s] = true;
      Arrays.fill(voters, -1);
      voters[point[s]] = s;
      for (int oj = oi + 1; oj < m; oj++) {
        int t = order[oj];
        if (used[t] || cls[t] != cls[s]) {
          continue;
        }
        double iou = BoundingBox.iou(bx1[s], by1[s], bx2[s], by2[s], bx1[t], by1[t], bx2[t], by2[t]);
        if (iou >= config.iouThreshold()) {
          used[t] = true;
          if (voters[point[t]] < 0) {
            voters[point[t]] = t;
          }
        }
      }
      groups.add(fuse(voters, bx1, by1, bx2, by2, px, py, score, cls[s], present));
    }
    // best fused score first; the stable sort keeps seed order on ties
    groups.sort((a, b) -> Float.compare(b.score(), a.score()));
    return groups.size() > config.maxDetections()
        ? new ArrayList<>(groups.subList(0, config.maxDetections()))
        : groups;
  }

  private static Candidate fuse(
      int[] voters,
      float[] bx1,
      float[] by1,
      float[] bx2,
      float[] by2,
      float[] px,
      float[] py,
      float[] score,
      int cls,
      int present) {
    double sw = 0;
    int count = 0;
    for (int v : voters) {
      if (v >= 0) {
        sw += score[v];
        count++;
      }
    }
    double x1 = 0;
    double y1 = 0;
    double x2 = 0;
    double y2 = 0;
    for (int v : voters) {
      if (v >= 0) {
        double wgt = sw > 0 ? score[v] / sw : 1.0 / count;
        x1 += wgt * bx1[v];
        y1 += wgt * by1[v];
        x2 += wgt * bx2[v];
        y2 += wgt * by2[v];
      }
    }
    float[] points = new float[2 * GRID_POINTS];
    float[] pointScores = new float[GRID_POINTS];
    for (int i = 0; i < GRID_POINTS; i++) {
      int v = voters[i];
      if (v >= 0) {
        points[2 * i] = px[v];
        points[2 * i + 1] = py[v];
        pointScores[i] = score[v];
      } else {
        points[2 * i] = (float) (x1 + gridFx(i) * (x2 - x1));
        points[2 * i + 1] = (float) (y1 + gridFy(i) * (y2 - y1));
      }
    }
    return Candidate.withPoints(
        (float) x1, (float) y1, (float) x2, (float) y2, (float) (sw / present), cls, points, pointScores);
  }

  /**
   * Settings of {@link GridPointsDecoder}.
   *
   * @param k peaks taken from each grid point's heatmap (100)
   * @param kernel peak-NMS window (3)
   * @param activation what the {@code hm_p{i}} heads hold (probabilities)
   * @param layout head layout (NCHW)
   * @param iouThreshold boxes agree when their IoU with the group's seed is at least this (0.5)
   * @param maxDetections fused boxes kept per image (100)
   */
  public record Config(
      int k, int kernel, Activation activation, Layout layout, float iouThreshold, int maxDetections) {
    /** Validates. */
    public Config {
      DecodeChecks.requirePositiveK(k);
      DecodeChecks.requireOddKernel(kernel);
      if (activation == null || layout == null) {
        throw new InvalidConfigException("activation and layout must be set");
      }
      DecodeChecks.requireUnitInterval("IoU threshold", iouThreshold);
      if (maxDetections <= 0) {
        throw new InvalidConfigException("max detections must be > 0, got " + maxDetections);
      }
    }

    /** K 100, kernel 3, probabilities, NCHW, IoU 0.5, 100 detections. */
    public static Config defaults() {
      return new Config(100, 3, Activation.PROBABILITIES, Layout.NCHW, 0.5f, 100);
    }

    public Config withK(int newK) {
      return new Config(newK, kernel, activation, layout, iouThreshold, maxDetections);
    }

    public Config withKernel(int newKernel) {
      return new Config(k, newKernel, activation, layout, iouThreshold, maxDetections);
    }

    public Config withActivation(Activation newActivation) {
      return new Config(k, kernel, newActivation, layout, iouThreshold, maxDetections);
    }

    public Config withLayout(Layout newLayout) {
      return new Config(k, kernel, activation, newLayout, iouThreshold, maxDetections);
    }

    public Config withIouThreshold(float newThreshold) {
      return new Config(k, kernel, activation, layout, newThreshold, maxDetections);
    }

    public Config withMaxDetections(int newMax) {
      return new Config(k, kernel, activation, layout, iouThreshold, newMax);
    }
  }
}
