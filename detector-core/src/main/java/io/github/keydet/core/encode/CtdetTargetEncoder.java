package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidConfigException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * CenterNet object-detection ({@code ctdet}) targets, as {@code datasets/sample/ctdet.py} builds them.
 *
 * <p>Targets (no batch dimension; C classes, M = max objects, H x W output map):
 *
 * <ul>
 *   <li>{@code hm} FLOAT [C, H, W]: one Gaussian per object at its integer center, merged by maximum;
 *   <li>{@code wh} FLOAT [M, 2]: box (w, h) in output cells; {@code reg} FLOAT [M, 2]: center - int(center);
 *   <li>{@code ind} LONG [M]: {@code y * W + x} of the integer center; {@code reg_mask} UINT8 [M];
 *   <li>optional {@code cat_spec_wh} FLOAT [M, 2C] and {@code cat_spec_mask} UINT8 [M, 2C] (channels 2c, 2c + 1);
 *   <li>optional {@code dense_wh} FLOAT [2, H, W] and {@code dense_wh_mask} FLOAT [2, H, W] (max over classes of hm,
 *       twice).
 * </ul>
 *
 * <p>Rule: only the first M objects are considered and object k always uses slot k. Each box goes through {@link
 * TargetGeometry#imageToOutput()}, x is clipped to [0, W - 1] and y to [0, H - 1]; if the clipped height or width is
 * {@code <= 0} the object is skipped and its slot stays zero. Otherwise radius = {@code max(0, int(rule(ceil(h),
 * ceil(w))))}, center = corner mean in float32, integer center by truncation. Unlike the original, {@code wh} is kept
 * when the category-specific or dense variants are enabled.
 */
public final class CtdetTargetEncoder extends EncoderBase {
  private final HeatmapStyle style;
  private final int msraSigma;
  private final boolean catSpecWh;
  private final boolean denseWh;
  private final List<TargetSpec> specs;

  private CtdetTargetEncoder(Builder b) {
    super(b);
    this.style = b.style;
    this.msraSigma = b.msraSigma;
    this.catSpecWh = b.catSpecWh;
    this.denseWh = b.denseWh;
    int h = geometry.outputHeight();
    int w = geometry.outputWidth();
    List<TargetSpec> s = new ArrayList<>();
    s.add(EncoderSupport.f32("hm", numClasses, h, w));
    s.add(EncoderSupport.f32("wh", maxObjects, 2));
    s.add(EncoderSupport.f32("reg", maxObjects, 2));
    s.add(EncoderSupport.i64("ind", maxObjects));
    s.add(EncoderSupport.u8("reg_mask", maxObjects));
    if (catSpecWh) {
      s.add(EncoderSupport.f32("cat_spec_wh", maxObjects, 2L * numClasses));
      s.add(EncoderSupport.u8("cat_spec_mask", maxObjects, 2L * numClasses));
    }
    if (denseWh) {
      s.add(EncoderSupport.f32("dense_wh", 2, h, w));
      s.add(EncoderSupport.f32("dense_wh_mask", 2, h, w));
    }
    this.specs = List.copyOf(s);
  }

  /**
   * A builder. Required: geometry and number of classes. Not thread-safe.
   *
   * @param geometry where boxes land
   * @param numClasses C
   */
  public static Builder builder(TargetGeometry geometry, int numClasses) {
    return new Builder(geometry, numClasses);
  }

  @Override
  public List<TargetSpec> specs() {
    return specs;
  }


  @Override
  public void encodeInto(List<ObjectAnnotation> objects, TargetSet out) {
    int n = EncoderSupport.checkObjects(objects, maxObjects, numClasses, EncoderSupport.ObjectCheck.NONE);
    EncoderSupport sup = EncoderSupport.prepare(specs, out, geometry);
    int plane = sup.plane;
    FloatBuffer hm = sup.f("hm");
    FloatBuffer wh = sup.f("wh");
    FloatBuffer reg = sup.f("reg");
    LongBuffer ind = sup.l("ind");
    ByteBuffer regMask = sup.b("reg_mask");
    FloatBuffer cswh = catSpecWh ? sup.f("cat_spec_wh") : null;
    ByteBuffer csMask = catSpecWh ? sup.b("cat_spec_mask") : null;
    FloatBuffer dense = denseWh ? sup.f("dense_wh") : null;
    FloatBuffer maxPlane = denseWh ? FloatBuffer.allocate(plane) : null;
    for (int k = 0; k < n; k++) {
      ObjectAnnotation o = objects.get(k);
      EncoderSupport.Center c = EncoderSupport.center(o, geometry);
      if (c == null) {
        continue;
      }
      float h = c.h();
      float w = c.w();
      int radius =
          style == HeatmapStyle.MSRA
              ? msraSigma
              : rule.intRadius(Math.ceil(h), Math.ceil(w), minOverlap);
      int cx = c.cx();
      int cy = c.cy();
      int cls = o.classId();
      draw(sup, hm, cls * plane, cx, cy, radius);
      sup.putCenter(c, k, wh, reg, ind, regMask);
      if (catSpecWh) {
        int row = k * 2 * numClasses + 2 * cls;
        cswh.put(row, w);
        cswh.put(row + 1, h);
        csMask.put(row, (byte) 1);
        csMask.put(row + 1, (byte) 1);
      }
      if (denseWh) {
        draw(sup, maxPlane, 0, cx, cy, radius);
        Gaussians.drawDenseReg(dense, 0, maxPlane, 0, sup.oh, sup.ow, cx, cy, new float[] {w, h}, radius, false);
      }
    }
    if (denseWh) {
      FloatBuffer m = sup.f("dense_wh_mask");
      for (int i = 0; i < plane; i++) {
        float v = maxPlane.get(i);
        m.put(i, v);
        m.put(plane + i, v);
      }
    }
  }

  private void draw(EncoderSupport sup, FloatBuffer buf, int off, int cx, int cy, int r) {
    if (style == HeatmapStyle.MSRA) {
      Gaussians.drawMsra(buf, off, sup.oh, sup.ow, cx, cy, r);
    } else {
      sup.gaussian(buf, off, cx, cy, r);
    }
  }

  /** Builds a {@link CtdetTargetEncoder}. Not thread-safe. */
  public static final class Builder extends EncoderBuilder<Builder> {
    private HeatmapStyle style = HeatmapStyle.UMICH;
    private int msraSigma = 4;
    private boolean catSpecWh;
    private boolean denseWh;

    private Builder(TargetGeometry geometry, int numClasses) {
      super(geometry, numClasses, 128);
    }

    /** UMICH (default) or MSRA drawing with the given fixed sigma ({@code hm_gauss}, default 4). */
    public Builder optHeatmapStyle(HeatmapStyle style, int msraSigma) {
      this.style = InvalidConfigException.requireOption(style, "optHeatmapStyle");
      this.msraSigma = msraSigma;
      return this;
    }

    /** Also produce {@code cat_spec_wh} / {@code cat_spec_mask} (CenterNet's {@code --cat_spec_wh}). */
    public Builder optCategorySpecificWh(boolean on) {
      this.catSpecWh = on;
      return this;
    }

    /** Also produce {@code dense_wh} / {@code dense_wh_mask} (CenterNet's {@code --dense_wh}). */
    public Builder optDenseWh(boolean on) {
      this.denseWh = on;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** Validates and builds. */
    public CtdetTargetEncoder build() {
      validate();
      EncoderSupport.checkPositive("msra sigma", msraSigma);
      return new CtdetTargetEncoder(this);
    }
  }
}
