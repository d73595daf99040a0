package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;

/**
 * CenterNet monocular 3D ({@code ddd}) targets, as {@code datasets/sample/ddd.py} encodes KITTI (no augmentation,
 * no ignore regions). Every object needs {@link ObjectAnnotation#object3d()}.
 *
 * <p>Targets: {@code hm} FLOAT [C, H, W], {@code dep} FLOAT [M, 1], {@code dim} FLOAT [M, 3], {@code ind} LONG
 * [M], {@code rotbin} LONG [M, 2], {@code rotres} FLOAT [M, 2], {@code reg_mask}, {@code rot_mask} UINT8 [M], {@code
 * wh}, {@code reg} FLOAT [M, 2].
 *
 * <p>Rule: the box as in {@link CtdetTargetEncoder} but the radius uses the clipped (h, w) without {@code ceil}.
 * Rotation bins: bin 1 if {@code alpha < pi/6 or alpha > 5pi/6} with residual {@code alpha + pi/2}; bin 2 if {@code
 * alpha > -pi/6 or alpha < -5pi/6} with residual {@code alpha - pi/2} (both can hold).
 */
public final class DddTargetEncoder extends EncoderBase {
  private final List<TargetSpec> specs;

  private DddTargetEncoder(Builder b) {
    super(b);
    int m = maxObjects;
    specs =
        List.of(
            EncoderSupport.f32("hm", numClasses, geometry.outputHeight(), geometry.outputWidth()),
            EncoderSupport.f32("dep", m, 1),
            EncoderSupport.f32("dim", m, 3),
            EncoderSupport.i64("ind", m),
            EncoderSupport.i64("rotbin", m, 2),
            EncoderSupport.f32("rotres", m, 2),
            EncoderSupport.u8("reg_mask", m),
            EncoderSupport.u8("rot_mask", m),
            EncoderSupport.f32("wh", m, 2),
            EncoderSupport.f32("reg", m, 2));
  }

  /**
   * A builder (default M = 50 as CenterNet's KITTI set). Not thread-safe.
   *
   * @param geometry where boxes land (KITTI: input 1280x384, stride 4)
   * @param numClasses C (KITTI: 3)
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
    int n = EncoderSupport.checkObjects(objects, maxObjects, numClasses, (o, k) -> {
      if (o.object3d() == null) {
        throw new InvalidInputException("object " + k + " has no 3D annotation; ddd targets need depth, dim, alpha");
      }
    });
    EncoderSupport sup = EncoderSupport.prepare(specs, out, geometry);
    FloatBuffer hm = sup.f("hm");
    FloatBuffer dep = sup.f("dep");
    FloatBuffer dim = sup.f("dim");
    LongBuffer ind = sup.l("ind");
    LongBuffer rotbin = sup.l("rotbin");
    FloatBuffer rotres = sup.f("rotres");
    ByteBuffer regMask = sup.b("reg_mask");
    ByteBuffer rotMask = sup.b("rot_mask");
    FloatBuffer wh = sup.f("wh");
    FloatBuffer reg = sup.f("reg");
    for (int k = 0; k < n; k++) {
      ObjectAnnotation o = objects.get(k);
      EncoderSupport.Center c = EncoderSupport.center(o, geometry);
      if (c == null) {
        continue;
      }
      int radius = rule.intRadius(c.h(), c.w(), minOverlap); // no ceil here, as CenterNet's ddd.py
      sup.gaussian(hm, o.classId() * sup.plane, c.cx(), c.cy(), radius);
      sup.putCenter(c, k, wh, reg, ind, regMask);
      Object3D d = o.object3d();
      double alpha = d.alpha();
      if (alpha < Math.PI / 6 || alpha > 5 * Math.PI / 6) {
        rotbin.put(2 * k, 1);
        rotres.put(2 * k, (float) (alpha - (-0.5 * Math.PI)));
      }
      if (alpha > -Math.PI / 6 || alpha < -5 * Math.PI / 6) {
        rotbin.put(2 * k + 1, 1);
        rotres.put(2 * k + 1, (float) (alpha - 0.5 * Math.PI));
      }
      dep.put(k, d.depth());
      dim.put(3 * k, d.height());
      dim.put(3 * k + 1, d.width());
      dim.put(3 * k + 2, d.length());
      rotMask.put(k, (byte) 1);
    }
  }

  /** Builds a {@link DddTargetEncoder}. Not thread-safe. */
  public static final class Builder extends EncoderBuilder<Builder> {

    private Builder(TargetGeometry geometry, int numClasses) {
      super(geometry, numClasses, 50);
    }

    @Override
    Builder self() {
      return this;
    }

    /** Validates and builds. */
    public DddTargetEncoder build() {
      validate();
      return new DddTargetEncoder(this);
    }
  }
}
