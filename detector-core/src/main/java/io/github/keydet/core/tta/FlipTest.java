package io.github.keydet.core.tta;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flip test's mechanism, as the original detectors do it. The network runs on a prepared input and on the
 * same input mirrored horizontally; then, as the family's {@link FlipRules} say (each family declares its own,
 * see {@code io.github.keydet.core.family}):
 *
 * <ul>
 *   <li>CenterNet (ctdet), TTFNet-style LTRB, multi_pose, ExtremeNet, grid points: heatmaps (as probabilities)
 *       and size maps are averaged with the mirror's flipped back — {@code (h[0] + flip(h[1])) / 2} — with
 *       left/right roles swapped where a head has them (ExtremeNet's {@code l_heat} averages with the mirror's
 *       {@code r_heat}; LTRB's left distance with the mirror's right distance; pose joints with their left/right
 *       partner and the x offset negated); sub-pixel offsets are taken from the original only.
 *   <li>CornerNet and Triplets: both images are decoded and the mirror's candidates are mirrored back
 *       ({@code x -> W - x}) and appended, as CornerNet's test code does; a later NMS merges them.
 * </ul>
 */
public final class FlipTest {
  private FlipTest() {}

  /**
   * Mirrors an NCHW or NHWC input batch horizontally from {@code src} into {@code dst} (both from index 0, at least
   * the batch's element count; {@code src} is not changed), one row at a time through a small scratch array.
   */
  public static void mirrorInput(FloatBuffer src, long[] shape, Layout layout, FloatBuffer dst) {
    int n = (int) shape[0];
    int c = (int) (layout == Layout.NCHW ? shape[1] : shape[3]);
    int h = (int) (layout == Layout.NCHW ? shape[2] : shape[1]);
    int w = (int) (layout == Layout.NCHW ? shape[3] : shape[2]);
    boolean nchw = layout == Layout.NCHW;
    int rowLength = nchw ? w : w * c;
    int rowCount = nchw ? n * c * h : n * h;
    int pixel = nchw ? 1 : c;
    float[] in = new float[rowLength];
    float[] out = new float[rowLength];
    for (int row = 0; row < rowCount; row++) {
      int base = row * rowLength;
      src.get(base, in, 0, rowLength);
      for (int x = 0; x < w; x++) {
        System.arraycopy(in, (w - 1 - x) * pixel, out, x * pixel, pixel);
      }
      dst.put(base, out, 0, rowLength);
    }
    dst.clear().limit(rowCount * rowLength);
  }

  /**
   * Merges the heads of an original and its mirror into heads of batch 1 (see the class comment). Heat maps
   * ({@link FlipRules#isHeatmap}) come out as probabilities whatever {@code activation} says they went in as.
   *
   * @param original heads of the original input (batch 1)
   * @param mirrored heads of the mirrored input (batch 1)
   * @param rules how each head is merged (the family's)
   * @param activation what the heat maps hold
   */
  public static Heads mergeHeads(Heads original, Heads mirrored, FlipRules rules, Activation activation) {
    Map<String, HeadView> out = new LinkedHashMap<>();
    Layout layout = original.layout();
    for (String name : original.names()) {
      HeadView a = original.view(name);
      if (!mirrored.has(name)) {
        throw new InvalidInputException("mirrored run lacks head '" + name + "'");
      }
      Activation act = rules.isHeatmap(name) ? activation : Activation.PROBABILITIES;
      HeadFlip rule = rules.rule(name, a.channels());
      HeadView merged;
      if (rule.keepsOriginal()) {
        merged = a;
      } else {
        String source = rule.source() == null ? name : rule.source();
        if (!mirrored.has(source)) {
          throw new InvalidInputException("mirrored run lacks head '" + source + "' (partner of '" + name + "')");
        }
        int[] order = rule.channelOrder() == null ? identity(a.channels()) : rule.channelOrder();
        if (order.length != a.channels()) {
          throw new InvalidInputException("flip rule of head '" + name + "' maps " + order.length
              + " channels, the head has " + a.channels());
        }
        merged = average(name, a, mirrored.view(source), order, rule.signs(), act);
      }
      out.put(name, merged);
    }
    return Heads.ofViews(out, layout);
  }

  /** Mirrors candidates decoded from a mirrored input back: {@code x -> mapWidth - x} (CornerNet's rule). */
  public static List<Candidate> mirrorCandidates(List<Candidate> candidates, int mapWidth) {
    List<Candidate> out = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      float[] pts = c.points().clone();
      for (int i = 0; i < pts.length; i += 2) {
        pts[i] = mapWidth - pts[i];
      }
      out.add(new Candidate(mapWidth - c.x2(), c.y1(), mapWidth - c.x1(), c.y2(), c.score(), c.classId(), pts,
          c.pointScores(), c.object3d()));
    }
    return out;
  }

  private static int[] identity(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    return p;
  }

  /**
   * {@code out[c, y, x] = (act(a[c, y, x]) + sign[c] * act(b[perm[c], y, W-1-x])) / 2}: the mirror's value at
   * the mirrored column, from the channel that plays channel c's role there.
   */
  private static HeadView average(String name, HeadView a, HeadView b, int[] perm, float[] sign, Activation act) {
    if (a.batch() != 1 || b.batch() != 1 || a.channels() != b.channels() || a.height() != b.height()
        || a.width() != b.width()) {
      throw new InvalidInputException("flip test needs two batch-1 heads of one shape for '" + name + "', got "
          + a.describe() + " and " + b.describe());
    }
    int c = a.channels();
    int h = a.height();
    int w = a.width();
    float[] out = new float[c * h * w];
    boolean nchw = a.layout() == Layout.NCHW;
    for (int ch = 0; ch < c; ch++) {
      int src = perm[ch];
      float sg = sign == null ? 1f : sign[ch];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = (act.apply(a.get(0, ch, y, x)) + sg * act.apply(b.get(0, src, y, w - 1 - x))) / 2f;
          out[nchw ? (ch * h + y) * w + x : (y * w + x) * c + ch] = v;
        }
      }
    }
    long[] shape = nchw ? new long[] {1, c, h, w} : new long[] {1, h, w, c};
    return HeadView.of(name, FloatBuffer.wrap(out), shape, a.layout());
  }
}
