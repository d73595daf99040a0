package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidConfigException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-point ("GridNeighbor") targets: heatmaps for a chosen subset of the 9 points of a box's 3x3 grid, numbered
 * row by row: 0 top-left, 1 top-middle, 2 top-right, 3 middle-left, 4 center, 5 middle-right, 6 bottom-left, 7
 * bottom-middle, 8 bottom-right (flags {@code 0,4,8} = the two corners and the center).
 *
 * <p>Targets per chosen point p (name {@code POINT_NAMES[p]}, e.g. {@code tl}): {@code <name>_hm} FLOAT [C, H, W],
 * {@code <name>_reg} FLOAT [M, 2], {@code <name>_ind} LONG [M]; shared {@code wh} FLOAT [M, 2] and {@code reg_mask}
 * UINT8 [M].
 *
 * <p>Rule (KeyDet's, following ctdet since no reference sample code was available): the box is mapped and clipped as
 * in {@link CtdetTargetEncoder}, skipped if {@code h <= 0 or w <= 0}; grid point coordinates are {@code x1, (x1 +
 * x2) / 2, x2} by {@code y1, (y1 + y2) / 2, y2} in float32; cell = truncation, offset = point - cell; every point's
 * Gaussian uses the box's ctdet radius; object k uses slot k, only the first M are considered.
 */
public final class GridPointTargetEncoder extends EncoderBase {
  /** Names of the 9 grid points, by index. */
  public static final List<String> POINT_NAMES = List.of("tl", "t", "tr", "l", "ct", "r", "bl", "b", "br");

  private final int[] points;
  private final List<TargetSpec> specs;

  private GridPointTargetEncoder(Builder b) {
    super(b);
    points = b.points.clone();
    List<TargetSpec> s = new ArrayList<>();
    for (int p : points) {
      s.add(EncoderSupport.f32(POINT_NAMES.get(p) + "_hm", numClasses, geometry.outputHeight(),
          geometry.outputWidth()));
    }
    for (int p : points) {
      s.add(EncoderSupport.f32(POINT_NAMES.get(p) + "_reg", maxObjects, 2));
      s.add(EncoderSupport.i64(POINT_NAMES.get(p) + "_ind", maxObjects));
    }
    s.add(EncoderSupport.f32("wh", maxObjects, 2));
    s.add(EncoderSupport.u8("reg_mask", maxObjects));
    specs = List.copyOf(s);
  }

  /**
   * Parses flags such as {@code "0,4,8"} into sorted distinct point indices.
   *
   * @throws InvalidConfigException for an empty list, a non-number, or an index outside 0..8
   */
  public static int[] parseFlags(String flags) {
    String[] parts = flags.trim().split("\\s*,\\s*");
    int[] r = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        r[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new InvalidConfigException("grid point flags must be indices 0..8 like 0,4,8, got '" + flags + "'");
      }
    }
    return r;
  }

  /**
   * A builder. Not thread-safe.
   *
   * @param geometry where boxes land
   * @param numClasses C
   * @param points grid indices 0..8 (see {@link #parseFlags})
   */
  public static Builder builder(TargetGeometry geometry, int numClasses, int... points) {
    return new Builder(geometry, numClasses, points);
  }

  @Override
  public List<TargetSpec> specs() {
    return specs;
  }


  /** The chosen grid indices, ascending. */
  public int[] points() {
    return points.clone();
  }

  @Override
  public void encodeInto(List<ObjectAnnotation> objects, TargetSet out) {
    int n = EncoderSupport.checkObjects(objects, maxObjects, numClasses, EncoderSupport.ObjectCheck.NONE);
    EncoderSupport sup = EncoderSupport.prepare(specs, out, geometry);
    int np = points.length;
    FloatBuffer[] hm = new FloatBuffer[np];
    FloatBuffer[] reg = new FloatBuffer[np];
    LongBuffer[] ind = new LongBuffer[np];
    for (int i = 0; i < np; i++) {
      String name = POINT_NAMES.get(points[i]);
      hm[i] = sup.f(name + "_hm");
      reg[i] = sup.f(name + "_reg");
      ind[i] = sup.l(name + "_ind");
    }
    FloatBuffer wh = sup.f("wh");
    ByteBuffer mask = sup.b("reg_mask");
    for (int k = 0; k < n; k++) {
      ObjectAnnotation o = objects.get(k);
      EncoderSupport.Center c = EncoderSupport.center(o, geometry);
      if (c == null) {
        continue;
      }
      int radius = rule.intRadius(Math.ceil(c.h()), Math.ceil(c.w()), minOverlap);
      float[] b = c.box();
      float[] xs = {b[0], c.ctx(), b[2]};
      float[] ys = {b[1], c.cty(), b[3]};
      for (int i = 0; i < np; i++) {
        float px = xs[points[i] % 3];
        float py = ys[points[i] / 3];
        sup.gaussian(hm[i], o.classId() * sup.plane, (int) px, (int) py, radius);
        sup.putPoint(reg[i], ind[i], k, px, py);
      }
      wh.put(2 * k, c.w());
      wh.put(2 * k + 1, c.h());
      mask.put(k, (byte) 1);
    }
  }

  /** Builds a {@link GridPointTargetEncoder}. Not thread-safe. */
  public static final class Builder extends EncoderBuilder<Builder> {
    private final int[] points;

    private Builder(TargetGeometry geometry, int numClasses, int[] points) {
      super(geometry, numClasses, 128);
      this.points = points == null ? new int[0] : points.clone();
    }

    @Override
    Builder self() {
      return this;
    }

    /** Validates (points non-empty, in 0..8, distinct) and builds. */
    public GridPointTargetEncoder build() {
      validate();
      int[] sorted = points.clone();
      Arrays.sort(sorted);
      if (sorted.length == 0 || sorted[0] < 0 || sorted[sorted.length - 1] > 8) {
        throw new InvalidConfigException("grid points must be indices 0..8, got " + Arrays.toString(points));
      }
      for (int i = 1; i < sorted.length; i++) {
        if (sorted[i] == sorted[i - 1]) {
          throw new InvalidConfigException("grid point " + sorted[i] + " is listed twice in "
              + Arrays.toString(points));
        }
      }
      System.arraycopy(sorted, 0, points, 0, sorted.length);
      return new GridPointTargetEncoder(this);
    }
  }
}
