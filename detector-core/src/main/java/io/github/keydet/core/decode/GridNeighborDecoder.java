package io.github.keydet.core.decode;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Enhanced-CenterNet's GridNeighbor decoding ({@code gridneighbordet_decode} of GitHub
 * Wastoon/CenterNet-Multi-Func-Det, {@code src/lib/models/decode.py}): each of P designated grid points of a box
 * has its own heat map per class and regresses the box by itself.
 *
 * <p>Point flags: flag {@code f} in 0..8 is cell (row {@code f / 3}, col {@code f % 3}) of a 3x3 grid over the box
 * (0 top-left, 4 center, 8 bottom-right); a model is trained for a list of P distinct flags ({@code --point_flags},
 * default {@code 0,4,8}), and point index {@code p} is the flag's position in that list. The upstream training
 * code ({@code datasets/sample/gridneighbor.py}) sorts the flags, its decoder does not: give them sorted, as the
 * model was trained.
 *
 * <p>Heads (NCHW, or NHWC per {@link Config#layout()}): {@code hm} [N, C·P, H, W] with channel {@code c·P + p} for
 * class c and point p; {@code wh} [N, 2P, H, W] with channels (2p, 2p + 1) for point p; optional {@code reg}
 * [N, 2P, H, W], the same. Probabilities unless configured otherwise (the upstream detector applies the sigmoid
 * before decoding).
 *
 * <p>Rules, per image and point p (upstream {@code _topk_gridneighbor}): peak NMS of every channel, the top K of
 * each class channel {@code c·P + p}, then the top K of those C·K (class = the channel's c), best first; a peak at
 * cell (x, y) sits at (x + reg[2p], y + reg[2p + 1]) read at that cell (+0.5 without {@code reg}), and (w, h) =
 * (wh[2p], wh[2p + 1]) there. Box, by {@link BoxGeometry}: {@link BoxGeometry#TRAINING} (default) is the geometry
 * of the upstream training targets, where the point of flag (row, col) lies at (((3 - col) x1 + (1 + col) x2) / 4,
 * ((3 - row) y1 + (1 + row) y2) / 4) and wh = point - (x1, y1), so box = (x - w, y - h, x + w·3^(1 - col), y +
 * h·3^(1 - row)) — the formula the upstream {@code gridneighbor_bbox_decode} carries commented out; {@link
 * BoxGeometry#CENTERED} is what that function actually runs, (x ± w/2, y ± h/2), which contradicts the training
 * targets for every flag but the center (4).
 *
 * <p>Output per image: the P·K point boxes, by score, best first (ties: point index, then rank), zero-score
 * (suppressed) entries included as the upstream decoder returns them. Each candidate's {@link
 * Candidate#pointId()} is its flag, {@link Candidate#points()} the point (x, y) and {@link Candidate#pointScores()}
 * its score. Merging the boxes of the P points of one object is left to post-processing (NMS); note that the
 * upstream {@code gridneighbor_det_post_process} is broken for P > 1 (it reads the class of the wrong column,
 * {@code j - 3}, and keeps, per class, only the rows of the last point with the boxes of all points before it),
 * so it cannot serve as the reference there. Ties between equal scores are broken by (class, y·W + x); the
 * upstream order of ties is undefined. The upstream {@code _topk_gridneighbor} handles batch 1 only; this decoder
 * decodes every batch item alike.
 *
 * <p>Stateless and thread-safe.
 */
public final class GridNeighborDecoder implements HeadDecoder {
  /** Grid cells of a box. */
  public static final int GRID_CELLS = 9;

  /** Where a point sits in its box. */
  public enum BoxGeometry {
    /** The upstream training targets' geometry (the point at its grid cell's quarter position); the default. */
    TRAINING,
    /** The upstream decoder's active formula: the box centered on the point, (x ± w/2, y ± h/2). */
    CENTERED
  }

  private final Config config;

  /** A decoder with the given settings. */
  public GridNeighborDecoder(Config config) {
    if (config == null) {
      throw new InvalidConfigException("config must be set");
    }
    this.config = config;
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /**
   * Parses a flag list such as {@code "0,4,8"} (spaces allowed, as the upstream {@code opts.py} default {@code
   * "0, 4, 8"}).
   *
   * @throws InvalidConfigException for an empty list, a non-number, a flag outside 0..8 or a repeated flag
   */
  public static int[] parseFlags(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidConfigException("point flags must be a comma-separated list of 0..8, got '" + text + "'");
    }
    String[] parts = text.split(",");
    int[] flags = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        flags[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new InvalidConfigException("point flag '" + parts[i].trim() + "' in '" + text + "' is not a number 0..8");
      }
    }
    requireValidFlags(flags);
    return flags;
  }

  /**
   * Checks a flag list.
   *
   * @throws InvalidConfigException for an empty list, a flag outside 0..8 or a repeated flag, naming it
   */
  public static void requireValidFlags(int[] flags) {
    if (flags == null || flags.length == 0) {
      throw new InvalidConfigException("point flags must name at least one grid cell 0..8, got none");
    }
    boolean[] seen = new boolean[GRID_CELLS];
    for (int f : flags) {
      if (f < 0 || f >= GRID_CELLS) {
        throw new InvalidConfigException(
            "point flag " + f + " in " + Arrays.toString(flags) + " is outside 0..8 (row-major 3x3 grid cells)");
      }
      if (seen[f]) {
        throw new InvalidConfigException("point flag " + f + " is repeated in " + Arrays.toString(flags));
      }
      seen[f] = true;
    }
  }

  /** The flag of the mirror image (left/right swapped) of grid cell {@code flag}: same row, column 2 - col. */
  public static int mirrorFlag(int flag) {
    return 3 * (flag / 3) + 2 - flag % 3;
  }

  @Override
  public List<List<Candidate>> decode(Heads heads) {
    ConfiguredDecoder.requireLayout(heads, config.layout());
    return decode(heads.view("hm"), heads.view("wh"), heads.optView("reg").orElse(null));
  }

  /**
   * Decodes head views; see the class comment for shapes.
   *
   * @param reg may be null
   * @throws InvalidInputException when the channel counts are not C·P / 2P for the configured P flags, or the
   *     grids differ
   */
  public List<List<Candidate>> decode(HeadView hm, HeadView wh, HeadView reg) {
    int p = config.flags().length;
    if (hm.channels() % p != 0) {
      throw new InvalidInputException("head 'hm' must have C·P channels (P = " + p + " point flags "
          + Arrays.toString(config.flags()) + "), got " + hm.channels() + ": " + hm.describe());
    }
    requirePointChannels(wh, hm, p);
    if (reg != null) {
      requirePointChannels(reg, hm, p);
    }
    List<List<Candidate>> out = new ArrayList<>(hm.batch());
    for (int n = 0; n < hm.batch(); n++) {
      out.add(decodeImage(hm, wh, reg, n));
    }
    return out;
  }

  private void requirePointChannels(HeadView head, HeadView hm, int p) {
    if (head.channels() != 2 * p) {
      throw new InvalidInputException("head '" + head.name() + "' must have 2P = " + (2 * p)
          + " channels (x, y per point flag " + Arrays.toString(config.flags()) + "), got " + head.channels() + ": "
          + head.describe());
    }
    head.requireSameGrid(hm, 2 * p);
  }

  private List<Candidate> decodeImage(HeadView hm, HeadView wh, HeadView reg, int n) {
    int[] flags = config.flags();
    int p = flags.length;
    int classes = hm.channels() / p;
    int k = config.k();
    List<Candidate> all = new ArrayList<>(p * k);
    ChannelRows plane = new ChannelRows(hm.height(), hm.width()); // one channel at a time
    for (int point = 0; point < p; point++) {
      Peaks peaks = topK(hm, n, point, p, classes, plane);
      int row = flags[point] / 3;
      int col = flags[point] % 3;
      float right = col == 0 ? 3f : col == 1 ? 1f : (float) (1.0 / 3);
      float down = row == 0 ? 3f : row == 1 ? 1f : (float) (1.0 / 3);
      for (int r = 0; r < peaks.count(); r++) {
        int y = peaks.ys()[r];
        int x = peaks.xs()[r];
        float px = x + (reg == null ? 0.5f : reg.finite(n, 2 * point, y, x));
        float py = y + (reg == null ? 0.5f : reg.finite(n, 2 * point + 1, y, x));
        float w = wh.finite(n, 2 * point, y, x);
        float h = wh.finite(n, 2 * point + 1, y, x);
        float x1;
        float y1;
        float x2;
        float y2;
        if (config.geometry() == BoxGeometry.TRAINING) {
          x1 = px - w;
          y1 = py - h;
          x2 = px + w * right;
          y2 = py + h * down;
        } else {
          x1 = px - w / 2;
          y1 = py - h / 2;
          x2 = px + w / 2;
          y2 = py + h / 2;
        }
        float s = peaks.scores()[r];
        all.add(new Candidate(x1, y1, x2, y2, s, peaks.classes()[r], new float[] {px, py}, new float[] {s}, null,
            flags[point]));
      }
    }
    // best first; the stable sort keeps (point, rank) order on ties
    all.sort((a, b) -> Float.compare(b.score(), a.score()));
    return all;
  }

  /**
   * The top K of point {@code point} over its C class channels (CenterNet's per-class-then-overall selection).
   * Each class channel is scanned in place with the running K-th best as floor, so that later channels skip what
   * cannot enter. Ties: (score desc, class asc, y·W + x asc).
   */
  private Peaks topK(HeadView hm, int n, int point, int p, int classes, ChannelRows plane) {
    int k = config.k();
    float[] scores = new float[0];
    int[] cls = new int[0];
    int[] ys = new int[0];
    int[] xs = new int[0];
    int count = 0;
    for (int c = 0; c < classes; c++) {
      float floor = count == k ? scores[k - 1] : Float.NEGATIVE_INFINITY;
      Peaks ch = PeakTopK.selectChannel(hm, n, c * p + point, k, config.kernel(), config.activation(), floor, plane);
      if (ch.count() == 0) {
        continue;
      }
      // merge two sorted lists (earlier classes win ties), keep K
      int m = Math.min(k, count + ch.count());
      float[] s2 = new float[m];
      int[] c2 = new int[m];
      int[] y2 = new int[m];
      int[] x2 = new int[m];
      int i = 0;
      int j = 0;
      for (int o = 0; o < m; o++) {
        boolean takeOld = j >= ch.count() || (i < count && scores[i] >= ch.scores()[j]);
        if (takeOld) {
          s2[o] = scores[i];
          c2[o] = cls[i];
          y2[o] = ys[i];
          x2[o] = xs[i];
          i++;
        } else {
          s2[o] = ch.scores()[j];
          c2[o] = c;
          y2[o] = ch.ys()[j];
          x2[o] = ch.xs()[j];
          j++;
        }
      }
      scores = s2;
      cls = c2;
      ys = y2;
      xs = x2;
      count = m;
    }
    return new Peaks(count, scores, cls, ys, xs);
  }

  /**
   * Settings of {@link GridNeighborDecoder}.
   *
   * @param k peaks per point flag (upstream {@code --K}, 100)
   * @param kernel peak-NMS window (3)
   * @param activation what {@code hm} holds (probabilities)
   * @param layout head layout (NCHW)
   * @param flags the point flags, distinct, each in 0..8, in the model's channel order (copied)
   * @param geometry where the point sits in its box ({@link BoxGeometry#TRAINING})
   */
  public record Config(int k, int kernel, Activation activation, Layout layout, int[] flags, BoxGeometry geometry) {
    /** Validates and copies the flags. */
    public Config {
      DecodeChecks.requirePositiveK(k);
      DecodeChecks.requireOddKernel(kernel);
      if (activation == null || layout == null || geometry == null) {
        throw new InvalidConfigException("activation, layout and box geometry must be set");
      }
      requireValidFlags(flags);
      flags = flags.clone();
    }

    /** The flags (a copy). */
    @Override
    public int[] flags() {
      return flags.clone();
    }

    /** Upstream test defaults: K 100, kernel 3, probabilities, NCHW, flags 0, 4, 8, training geometry. */
    public static Config defaults() {
      return new Config(100, 3, Activation.PROBABILITIES, Layout.NCHW, new int[] {0, 4, 8}, BoxGeometry.TRAINING);
    }

    public Config withK(int newK) {
      return new Config(newK, kernel, activation, layout, flags, geometry);
    }

    public Config withKernel(int newKernel) {
      return new Config(k, newKernel, activation, layout, flags, geometry);
    }

    public Config withActivation(Activation newActivation) {
      return new Config(k, kernel, newActivation, layout, flags, geometry);
    }

    public Config withLayout(Layout newLayout) {
      return new Config(k, kernel, activation, newLayout, flags, geometry);
    }

    public Config withFlags(int... newFlags) {
      return new Config(k, kernel, activation, layout, newFlags, geometry);
    }

    public Config withGeometry(BoxGeometry newGeometry) {
      return new Config(k, kernel, activation, layout, flags, newGeometry);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Config c && c.k == k && c.kernel == kernel && c.activation == activation
          && c.layout == layout && Arrays.equals(c.flags, flags) && c.geometry == geometry;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(k, kernel, activation, layout, Arrays.hashCode(flags), geometry);
    }

    @Override
    public String toString() {
      return "Config[k=" + k + ", kernel=" + kernel + ", activation=" + activation + ", layout=" + layout
          + ", flags=" + Arrays.toString(flags) + ", geometry=" + geometry + "]";
    }
  }
}
