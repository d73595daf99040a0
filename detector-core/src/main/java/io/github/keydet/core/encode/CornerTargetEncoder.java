package io.github.keydet.core.encode;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * CornerNet targets ({@code sample/cornernet.py}) and, with {@link Builder#optCenters}, CenterNet-Triplets targets
 * (Duankaiwen/CenterNet {@code sample/coco.py}).
 *
 * <p>Targets: {@code tl_heatmaps}, {@code br_heatmaps} (and {@code ct_heatmaps}) FLOAT [C, H, W]; {@code tag_masks}
 * UINT8 [M]; {@code tl_regrs}, {@code br_regrs} (and {@code ct_regrs}) FLOAT [M, 2]; {@code tl_tags}, {@code
 * br_tags} (and {@code ct_tags}) LONG [M] = {@code y * W + x}.
 *
 * <p>Rule (CornerNet's): boxes go through {@link TargetGeometry#imageToInput()}, are clipped to [0, inW - 1] x [0,
 * inH - 1] and dropped unless width and height stay {@code > 0}; the kept ones fill the slots in order (no gaps), up
 * to M (the original has no cap and fails beyond 128). A corner at input x maps to {@code fx = x * outW / inW} in
 * double, cell {@code int(fx)}, offset {@code fx - int(fx)}. Radius from {@code (ceil(h * ratio), ceil(w * ratio))}
 * with the chosen rule; Triplets' center is {@code (x1 + x2) / 2} and its Gaussian uses sigma = diameter / 5.
 */
public final class CornerTargetEncoder extends EncoderBase {
  private final boolean centers;
  private final boolean gaussianBump;
  private final int fixedRadius;
  private final List<TargetSpec> specs;

  private CornerTargetEncoder(Builder b) {
    super(b);
    centers = b.centers;
    gaussianBump = b.gaussianBump;
    fixedRadius = b.fixedRadius;
    int h = geometry.outputHeight();
    int w = geometry.outputWidth();
    List<TargetSpec> s = new ArrayList<>();
    s.add(EncoderSupport.f32("tl_heatmaps", numClasses, h, w));
    s.add(EncoderSupport.f32("br_heatmaps", numClasses, h, w));
    if (centers) {
      s.add(EncoderSupport.f32("ct_heatmaps", numClasses, h, w));
    }
    s.add(EncoderSupport.u8("tag_masks", maxObjects));
    s.add(EncoderSupport.f32("tl_regrs", maxObjects, 2));
    s.add(EncoderSupport.f32("br_regrs", maxObjects, 2));
    if (centers) {
      s.add(EncoderSupport.f32("ct_regrs", maxObjects, 2));
    }
    s.add(EncoderSupport.i64("tl_tags", maxObjects));
    s.add(EncoderSupport.i64("br_tags", maxObjects));
    if (centers) {
      s.add(EncoderSupport.i64("ct_tags", maxObjects));
    }
    specs = List.copyOf(s);
  }

  /**
   * A builder. Not thread-safe.
   *
   * @param geometry input/output sizes (e.g. 511 -> 128) and the image-to-input transform
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
    EncoderSupport.checkObjects(objects, Integer.MAX_VALUE, numClasses, EncoderSupport.ObjectCheck.NONE);
    EncoderSupport sup = EncoderSupport.prepare(specs, out, geometry);
    double wr = geometry.widthRatio();
    double hr = geometry.heightRatio();
    FloatBuffer tlHm = sup.f("tl_heatmaps");
    FloatBuffer brHm = sup.f("br_heatmaps");
    FloatBuffer ctHm = centers ? sup.f("ct_heatmaps") : null;
    ByteBuffer mask = sup.b("tag_masks");
    FloatBuffer tlRegr = sup.f("tl_regrs");
    FloatBuffer brRegr = sup.f("br_regrs");
    FloatBuffer ctRegr = centers ? sup.f("ct_regrs") : null;
    LongBuffer tlTag = sup.l("tl_tags");
    LongBuffer brTag = sup.l("br_tags");
    LongBuffer ctTag = centers ? sup.l("ct_tags") : null;
    int slot = 0;
    for (int k = 0; k < objects.size() && slot < maxObjects; k++) {
      ObjectAnnotation o = objects.get(k);
      float[] b = EncoderSupport.inputBox(o, geometry);
      if (!(b[2] - b[0] > 0 && b[3] - b[1] > 0)) {
        continue;
      }
      int off = o.classId() * sup.plane;
      int radius = radius(b, wr, hr);
      sup.cornerPoint(tlHm, off, b[0] * wr, b[1] * hr, radius, 6, gaussianBump, tlRegr, tlTag, slot);
      sup.cornerPoint(brHm, off, b[2] * wr, b[3] * hr, radius, 6, gaussianBump, brRegr, brTag, slot);
      if (centers) {
        float cx = (b[2] + b[0]) / 2f;
        float cy = (b[3] + b[1]) / 2f;
        sup.cornerPoint(ctHm, off, cx * wr, cy * hr, radius, 5, gaussianBump, ctRegr, ctTag, slot);
      }
      mask.put(slot, (byte) 1);
      slot++;
    }
  }

  int radius(float[] b, double wr, double hr) {
    if (fixedRadius >= 0) {
      return fixedRadius;
    }
    float w = b[2] - b[0];
    float h = b[3] - b[1];
    return rule.intRadius(Math.ceil(h * hr), Math.ceil(w * wr), minOverlap);
  }

  /** Builds a {@link CornerTargetEncoder}. Not thread-safe. */
  public static final class Builder extends CornerBumpBuilder<Builder> {
    private boolean centers;

    private Builder(TargetGeometry geometry, int numClasses) {
      super(geometry, numClasses, 128);
    }

    /** Add the Triplets center heatmap / offsets / tags. */
    public Builder optCenters(boolean on) {
      centers = on;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** Validates and builds. */
    public CornerTargetEncoder build() {
      validate();
      return new CornerTargetEncoder(this);
    }
  }
}
