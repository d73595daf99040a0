package io.github.keydet.core.saccade;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import java.util.ArrayList;
import java.util.List;

/**
 * Where CornerNet-Saccade looks next (its test code's {@code decode_atts}, {@code get_ref_locs} and {@code
 * location_nms}), in image pixels, with the test code's number types: positions and scales in double, a run's
 * scale as the float its location array holds. Stateless.
 */
public final class SaccadeLocations {
  private SaccadeLocations() {}

  /**
   * A place to crop: centre (image pixels), zoom (canvas pixels per image pixel) and score.
   *
   * @param y centre row, image pixels
   * @param x centre column, image pixels
   * @param scale zoom of the crop: the canvas covers {@code size / scale} image pixels
   * @param score attention value, or 1 for a location from a detection
   */
  public record Location(double y, double x, double scale, double score) {}

  /**
   * The attention peaks of one network input above the threshold, as locations: per map (in the settings' order)
   * the cells in row-major order whose sigmoid is a peak of its window ({@code att_nms}: max-pool with -inf
   * padding, plateaus kept) and above the threshold, mapped by the map's ratio, the run's scale and the canvas
   * offset; cells outside the image are dropped, and a map is skipped when the run's scale is above 2 or the new
   * zoom ({@code att_scale x scale}) above 4.
   */
  public static void fromAttention(List<HeadView> maps, int item, double runScale, int offY, int offX, int imH, int imW,
      SaccadeSettings s, List<Location> out) {
    float threshold = (float) s.attThreshold();
    int r = (s.attNmsKernel() - 1) / 2;
    for (int m = 0; m < maps.size(); m++) {
      double attScale = s.attScales().get(m);
      double next = attScale * runScale;
      if (runScale > 2 || next > 4) {
        continue;
      }
      HeadView att = maps.get(m);
      int ratio = s.attRatios().get(m);
      int h = att.height();
      int w = att.width();
      float[] a = new float[h * w];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          a[y * w + x] = Activation.LOGITS.apply(att.finite(item, 0, y, x));
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = a[y * w + x];
          if (!(v > threshold) || !isPeak(a, h, w, y, x, r)) {
            continue;
          }
          double iy = (double) ((long) y * ratio) / runScale + offY;
          double ix = (double) ((long) x * ratio) / runScale + offX;
          if (iy >= 0 && iy < imH && ix >= 0 && ix < imW) {
            out.add(new Location(iy, ix, next, v));
          }
        }
      }
    }
  }

  private static boolean isPeak(float[] a, int h, int w, int y, int x, int r) {
    float v = a[y * w + x];
    for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
      for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
        if (a[yy * w + xx] > v) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * A location for each confident first-stage box (score above 0.5): its centre, and a zoom that brings its longer
   * side to 192 (sides above 96 px), 64 (above 32) or 24 canvas pixels; score 1. Float arithmetic as on the test
   * code's float32 boxes.
   *
   * @param boxes image-pixel boxes (x1, y1, x2, y2) with their scores
   */
  public static void fromDetections(List<float[]> boxes, List<Location> out) {
    for (float[] b : boxes) {
      if (!(b[4] > 0.5f)) {
        continue;
      }
      float side = Math.max(b[2] - b[0], b[3] - b[1]);
      float scale = side > 96 ? 192f / side : side > 32 ? 64f / side : 24f / side;
      out.add(new Location((b[1] + b[3]) / 2f, (b[0] + b[2]) / 2f, scale, 1.0));
    }
  }

  /**
   * Location NMS ({@code location_nms}, threshold 16): best score first, in the order of the test code's
   * {@code argsort(scores)[::-1]} (numpy's introsort: {@link NumpyArgsort}; it decides the order of the equal
   * scores of the locations from detections), each kept location removing the others within
   * {@code 16 / scale} on the smaller of |dy| and |dx| whose zoom ratio to it lies in [0.8, 1.2].
   */
  public static List<Location> nms(List<Location> locations, double threshold) {
    double[] scores = new double[locations.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = locations.get(i).score();
    }
    int[] ascending = NumpyArgsort.argsort(scores);
    List<Integer> order = new ArrayList<>(scores.length);
    for (int i = ascending.length - 1; i >= 0; i--) {
      order.add(ascending[i]);
    }
    boolean[] dead = new boolean[locations.size()];
    List<Location> kept = new ArrayList<>();
    for (int a = 0; a < order.size(); a++) {
      if (dead[a]) {
        continue;
      }
      Location l = locations.get(order.get(a));
      kept.add(l);
      for (int b = a; b < order.size(); b++) {
        Location o = locations.get(order.get(b));
        double dist = Math.min(Math.abs(o.y() - l.y()), Math.abs(o.x() - l.x()));
        double ratio = l.scale() / o.scale();
        if (!(dist > threshold / l.scale() || ratio > 1.2 || ratio < 0.8)) {
          dead[b] = true;
        }
      }
    }
    return kept;
  }
}
