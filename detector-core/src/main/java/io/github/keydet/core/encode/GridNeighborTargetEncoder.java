package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidConfigException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Enhanced-CenterNet's GridNeighbor targets, as {@code datasets/sample/gridneighbor.py} of GitHub
 * Wastoon/CenterNet-Multi-Func-Det builds them (its {@code GridNeighborDetDataset}).
 *
 * <p>Point flags: grid cells 0..8 of a box, row-major (see {@code GridNeighborDecoder}); the dataset sorts them, so
 * point index p is the flag's position in the <em>sorted</em> list (its decoder does not sort: give sorted flags).
 *
 * <p>Targets (no batch dimension; C classes, P flags, M = max objects, H x W output map):
 *
 * <ul>
 *   <li>{@code hm} FLOAT [C·P, H, W]: per object and point a Gaussian in channel {@code class·P + p}, merged by
 *       maximum;
 *   <li>{@code wh} FLOAT [M, 2P]: point - (x1, y1) in output cells (channels 2p, 2p + 1);
 *   <li>{@code reg} FLOAT [M, 2P]: point - int(point); {@code ind} LONG [M, P]: {@code y * W + x} of the integer
 *       point; {@code reg_mask} UINT8 [M, P].
 * </ul>
 *
 * <p>Rule: the box is mapped and clipped as in {@link CtdetTargetEncoder} and skipped if its clipped height or width
 * is {@code <= 0}; radius = {@code max(0, int(rule(ceil(h), ceil(w))))} for every point; point of flag (row, col) =
 * (((3 - col) x1 + (1 + col) x2) / 4, ((3 - row) y1 + (1 + row) y2) / 4), computed in double from the float32
 * corners and rounded to float32 (numpy's float64 promotion); integer point by truncation. Object k uses slot k; only
 * the first M are considered. The dataset's {@code cat_spec_wh} and {@code dense_wh} variants are not built (its
 * decoder's {@code cat_spec_wh} path cannot decode them).
 */
public final class GridNeighborTargetEncoder implements TargetEncoder {
  private final TargetGeometry geometry;
  private final int numClasses;
  private final int maxObjects;
  private final int[] flags;
  private final RadiusRule rule;
  private final double minOverlap;
  private final List<TargetSpec> specs;

  private GridNeighborTargetEncoder(Builder b) {
    geometry = b.geometry;
    numClasses = b.numClasses;
    maxObjects = b.maxObjects;
    flags = b.flags;
    rule = b.rule;
    minOverlap = b.minOverlap;
    int p = flags.length;
    specs = List.of(
        EncoderSupport.f32("hm", (long) numClasses * p, geometry.outputHeight(), geometry.outputWidth()),
        EncoderSupport.f32("wh", maxObjects, 2L * p),
        EncoderSupport.f32("reg", maxObjects, 2L * p),
        EncoderSupport.i64("ind", maxObjects, p),
        EncoderSupport.u8("reg_mask", maxObjects, p));
  }

  /**
   * A builder. Required: geometry, number of classes and the point flags (distinct, 0..8; sorted here as the
   * dataset sorts them). Not thread-safe.
   */
  public static Builder builder(TargetGeometry geometry, int numClasses, int... flags) {
    return new Builder(geometry, numClasses, flags);
  }

  /** The flags in channel order (sorted). */
  public int[] flags() {
    return flags.clone();
  }

  @Override
  public List<TargetSpec> specs() {
    return specs;
  }

  @Override
  public TargetGeometry geometry() {
    return geometry;
  }

  @Override
  public void encodeInto(List<ObjectAnnotation> objects, TargetSet out) {
    int n = EncoderSupport.checkObjects(objects, maxObjects, numClasses, EncoderSupport.ObjectCheck.NONE);
    EncoderSupport sup = EncoderSupport.prepare(specs, out, geometry);
    FloatBuffer hm = sup.f("hm");
    FloatBuffer wh = sup.f("wh");
    FloatBuffer reg = sup.f("reg");
    LongBuffer ind = sup.l("ind");
    ByteBuffer regMask = sup.b("reg_mask");
    int p = flags.length;
    for (int k = 0; k < n; k++) {
      ObjectAnnotation o = objects.get(k);
      EncoderSupport.Center c = EncoderSupport.center(o, geometry);
      if (c == null) {
        continue;
      }
      float[] box = c.box();
      int radius = rule.intRadius(Math.ceil(c.h()), Math.ceil(c.w()), minOverlap);
      for (int i = 0; i < p; i++) {
        int row = flags[i] / 3;
        int col = flags[i] % 3;
        float px = (float) (((3 - col) * (double) box[0] + (1 + col) * (double) box[2]) / 4);
        float py = (float) (((3 - row) * (double) box[1] + (1 + row) * (double) box[3]) / 4);
        int cx = (int) px;
        int cy = (int) py;
        sup.gaussian(hm, (o.classId() * p + i) * sup.plane, cx, cy, radius);
        int slot = k * p + i;
        ind.put(slot, (long) cy * sup.ow + cx);
        wh.put(2 * slot, px - box[0]);
        wh.put(2 * slot + 1, py - box[1]);
        reg.put(2 * slot, px - cx);
        reg.put(2 * slot + 1, py - cy);
        regMask.put(slot, (byte) 1);
      }
    }
  }

  /** Builds a {@link GridNeighborTargetEncoder}. Not thread-safe. */
  public static final class Builder extends EncoderBuilder<Builder> {
    private final int[] flags;

    private Builder(TargetGeometry geometry, int numClasses, int[] flags) {
      super(geometry, numClasses, 128);
      if (flags == null || flags.length == 0) {
        throw new InvalidConfigException("point flags must name at least one grid cell 0..8, got none");
      }
      int[] sorted = flags.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i++) {
        if (sorted[i] < 0 || sorted[i] > 8) {
          throw new InvalidConfigException(
              "point flag " + sorted[i] + " in " + Arrays.toString(flags) + " is outside 0..8");
        }
        if (i > 0 && sorted[i] == sorted[i - 1]) {
          throw new InvalidConfigException("point flag " + sorted[i] + " is repeated in " + Arrays.toString(flags));
        }
      }
      this.flags = sorted;
    }

    @Override
    Builder self() {
      return this;
    }

    /** Validates and builds. */
    public GridNeighborTargetEncoder build() {
      validate();
      return new GridNeighborTargetEncoder(this);
    }
  }
}
