package io.github.keydet.core.encode;

import io.github.keydet.core.image.AffineTransform;
import io.github.keydet.api.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * ExtremeNet targets ({@code sample/coco_extreme.py}); every object needs {@link ObjectAnnotation#extremePoints()}
 * (see {@link ExtremePoints} to extract them from a polygon or mask).
 *
 * <p>Targets: {@code t_heatmaps}, {@code l_heatmaps}, {@code b_heatmaps}, {@code r_heatmaps}, {@code ct_heatmaps}
 * FLOAT [C, H, W]; {@code tag_masks} UINT8 [M]; {@code t_regrs}, {@code l_regrs}, {@code b_regrs}, {@code r_regrs}
 * FLOAT [M, 2]; {@code t_tags}, {@code l_tags}, {@code b_tags}, {@code r_tags}, {@code ct_tags} LONG [M].
 *
 * <p>Rule: as {@link CornerTargetEncoder} (input-space clip of box and points, kept objects fill slots in order,
 * point {@code fx = x * outW / inW}, cell {@code int(fx)}); the center is {@code ((l_x + r_x) / 2, (t_y + b_y) / 2)}
 * of the clipped input-space extreme points and has a heatmap and a tag but no offset.
 */
public final class ExtremeTargetEncoder extends EncoderBase {
  private static final String[] SIDES = {"t", "l", "b", "r"};
  private final CornerTargetEncoder radii;
  private final boolean gaussianBump;
  private final List<TargetSpec> specs;

  private ExtremeTargetEncoder(Builder b) {
    super(b);
    gaussianBump = b.gaussianBump;
    radii =
        CornerTargetEncoder.builder(geometry, numClasses)
            .optRadiusRule(b.rule)
            .optMinOverlap(b.minOverlap)
            .optFixedRadius(b.fixedRadius)
            .optMaxObjects(maxObjects)
            .build();
    int h = geometry.outputHeight();
    int w = geometry.outputWidth();
    List<TargetSpec> s = new ArrayList<>();
    for (String side : SIDES) {
      s.add(EncoderSupport.f32(side + "_heatmaps", numClasses, h, w));
    }
    s.add(EncoderSupport.f32("ct_heatmaps", numClasses, h, w));
    s.add(EncoderSupport.u8("tag_masks", maxObjects));
    for (String side : SIDES) {
      s.add(EncoderSupport.f32(side + "_regrs", maxObjects, 2));
    }
    for (String side : SIDES) {
      s.add(EncoderSupport.i64(side + "_tags", maxObjects));
    }
    s.add(EncoderSupport.i64("ct_tags", maxObjects));
    specs = List.copyOf(s);
  }

  /**
   * A builder. Not thread-safe.
   *
   * @param geometry sizes (ExtremeNet: 511 -> 128) and the image-to-input transform
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
    EncoderSupport.checkObjects(objects, Integer.MAX_VALUE, numClasses, (o, k) -> {
      if (o.extremePoints() == null) {
        throw new InvalidInputException("object " + k + " has no extreme points; ExtremeNet targets need them");
      }
    });
    EncoderSupport sup = EncoderSupport.prepare(specs, out, geometry);
    double wr = geometry.widthRatio();
    double hr = geometry.heightRatio();
    FloatBuffer[] hms = new FloatBuffer[4];
    FloatBuffer[] regrs = new FloatBuffer[4];
    LongBuffer[] tags = new LongBuffer[4];
    for (int i = 0; i < 4; i++) {
      hms[i] = sup.f(SIDES[i] + "_heatmaps");
      regrs[i] = sup.f(SIDES[i] + "_regrs");
      tags[i] = sup.l(SIDES[i] + "_tags");
    }
    FloatBuffer ctHm = sup.f("ct_heatmaps");
    LongBuffer ctTag = sup.l("ct_tags");
    ByteBuffer mask = sup.b("tag_masks");
    AffineTransform t = geometry.imageToInput();
    float maxX = geometry.inputWidth() - 1;
    float maxY = geometry.inputHeight() - 1;
    int slot = 0;
    for (int k = 0; k < objects.size() && slot < maxObjects; k++) {
      ObjectAnnotation o = objects.get(k);
      float[] b = EncoderSupport.inputBox(o, geometry);
      if (!(b[2] - b[0] > 0 && b[3] - b[1] > 0)) {
        continue;
      }
      float[] e = o.extremePoints();
      float[] p = new float[8];
      for (int i = 0; i < 4; i++) {
        p[2 * i] = EncoderSupport.clip(t.applyX(e[2 * i], e[2 * i + 1]), 0, maxX);
        p[2 * i + 1] = EncoderSupport.clip(t.applyY(e[2 * i], e[2 * i + 1]), 0, maxY);
      }
      int off = o.classId() * sup.plane;
      int radius = radii.radius(b, wr, hr);
      for (int i = 0; i < 4; i++) {
        sup.cornerPoint(
            hms[i], off, p[2 * i] * wr, p[2 * i + 1] * hr, radius, 6, gaussianBump, regrs[i], tags[i], slot);
      }
      float xct = (p[2] + p[6]) / 2f;
      float yct = (p[1] + p[5]) / 2f;
      int cx = (int) (xct * wr);
      int cy = (int) (yct * hr);
      if (gaussianBump) {
        sup.drawPoint(ctHm, off, cx, cy, radius, 6, true);
      }
      ctTag.put(slot, (long) cy * sup.ow + cx);
      mask.put(slot, (byte) 1);
      slot++;
    }
  }

  /** Builds an {@link ExtremeTargetEncoder}. Not thread-safe. */
  public static final class Builder extends CornerBumpBuilder<Builder> {

    private Builder(TargetGeometry geometry, int numClasses) {
      super(geometry, numClasses, 128);
    }

    @Override
    Builder self() {
      return this;
    }

    /** Validates and builds. */
    public ExtremeTargetEncoder build() {
      validate();
      return new ExtremeTargetEncoder(this);
    }
  }
}
