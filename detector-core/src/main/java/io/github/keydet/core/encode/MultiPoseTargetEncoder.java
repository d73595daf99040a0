package io.github.keydet.core.encode;

import io.github.keydet.core.image.AffineTransform;
import io.github.keydet.api.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;

/**
 * CenterNet human-pose ({@code multi_pose}) targets, as {@code datasets/sample/multi_pose.py} builds them (no
 * rotation augmentation, no dense keypoints). Every object needs {@link ObjectAnnotation#keypoints()} with J (x, y,
 * v) triples in image pixels (COCO: J = 17).
 *
 * <p>Targets: {@code hm} FLOAT [C, H, W], {@code wh}, {@code reg} FLOAT [M, 2], {@code ind} LONG [M], {@code
 * reg_mask} UINT8 [M], {@code hps} FLOAT [M, 2J] (joint minus integer center), {@code hps_mask} UINT8 [M, 2J],
 * {@code hm_hp} FLOAT [J, H, W], {@code hp_offset} FLOAT [M * J, 2], {@code hp_ind} LONG [M * J], {@code hp_mask}
 * LONG [M * J] (int64 as in the original).
 *
 * <p>Rule: the box as in {@link CtdetTargetEncoder}; a joint counts if {@code v > 0} and its transformed position
 * lies in {@code [0, W) x [0, H)}; joint Gaussians use the box's radius (or, with {@link
 * Builder#optJointMinOverlap}, the radius rule at that overlap: Enhanced-CenterNet's landmark sample uses 1, which
 * gives radius 0, a single 1 at the landmark's cell). An object whose visibilities sum to 0 gets
 * {@code reg_mask = 0} (its center is still drawn: the original writes 0.9999 there first, then the Gaussian's 1).
 */
public final class MultiPoseTargetEncoder extends EncoderBase {
  private final int numJoints;
  private final double jointMinOverlap;
  private final List<TargetSpec> specs;

  private MultiPoseTargetEncoder(Builder b) {
    super(b);
    jointMinOverlap = b.jointMinOverlap;
    numJoints = b.numJoints;
    int h = geometry.outputHeight();
    int w = geometry.outputWidth();
    int m = maxObjects;
    int j = numJoints;
    specs =
        List.of(
            EncoderSupport.f32("hm", numClasses, h, w),
            EncoderSupport.f32("wh", m, 2),
            EncoderSupport.f32("reg", m, 2),
            EncoderSupport.i64("ind", m),
            EncoderSupport.u8("reg_mask", m),
            EncoderSupport.f32("hps", m, 2L * j),
            EncoderSupport.u8("hps_mask", m, 2L * j),
            EncoderSupport.f32("hm_hp", j, h, w),
            EncoderSupport.f32("hp_offset", (long) m * j, 2),
            EncoderSupport.i64("hp_ind", (long) m * j),
            EncoderSupport.i64("hp_mask", (long) m * j));
  }

  /**
   * A builder (defaults: 1 class, 17 joints, M = 32 as CenterNet's COCO keypoint set). Not thread-safe.
   *
   * @param geometry where boxes and joints land
   */
  public static Builder builder(TargetGeometry geometry) {
    return new Builder(geometry);
  }

  @Override
  public List<TargetSpec> specs() {
    return specs;
  }


  @Override
  public void encodeInto(List<ObjectAnnotation> objects, TargetSet out) {
    int n = EncoderSupport.checkObjects(objects, maxObjects, numClasses, (o, k) -> {
      float[] kp = o.keypoints();
      if (kp == null || kp.length != 3 * numJoints) {
        throw new InvalidInputException(
            "object " + k + " needs " + numJoints + " keypoints (" + 3 * numJoints + " values), got "
                + (kp == null ? "none" : kp.length + " values"));
      }
    });
    EncoderSupport sup = EncoderSupport.prepare(specs, out, geometry);
    int oh = sup.oh;
    int ow = sup.ow;
    int plane = sup.plane;
    FloatBuffer hm = sup.f("hm");
    FloatBuffer wh = sup.f("wh");
    FloatBuffer reg = sup.f("reg");
    LongBuffer ind = sup.l("ind");
    ByteBuffer regMask = sup.b("reg_mask");
    FloatBuffer hps = sup.f("hps");
    ByteBuffer hpsMask = sup.b("hps_mask");
    FloatBuffer hmHp = sup.f("hm_hp");
    FloatBuffer hpOffset = sup.f("hp_offset");
    LongBuffer hpInd = sup.l("hp_ind");
    LongBuffer hpMask = sup.l("hp_mask");
    AffineTransform t = geometry.imageToOutput();
    int j2 = 2 * numJoints;
    for (int k = 0; k < n; k++) {
      ObjectAnnotation o = objects.get(k);
      EncoderSupport.Center c = EncoderSupport.center(o, geometry);
      if (c == null) {
        continue;
      }
      int radius = rule.intRadius(Math.ceil(c.h()), Math.ceil(c.w()), minOverlap);
      int jointRadius = Double.isNaN(jointMinOverlap) ? radius
          : rule.intRadius(Math.ceil(c.h()), Math.ceil(c.w()), jointMinOverlap);
      int cx = c.cx();
      int cy = c.cy();
      int off = o.classId() * plane;
      sup.putCenter(c, k, wh, reg, ind, regMask);
      float[] kp = o.keypoints();
      double vis = 0;
      for (int j = 0; j < numJoints; j++) {
        vis += kp[3 * j + 2];
      }
      if (vis == 0) {
        hm.put(off + cy * ow + cx, 0.9999f);
        regMask.put(k, (byte) 0);
      }
      for (int j = 0; j < numJoints; j++) {
        if (!(kp[3 * j + 2] > 0)) {
          continue;
        }
        float px = t.applyX(kp[3 * j], kp[3 * j + 1]);
        float py = t.applyY(kp[3 * j], kp[3 * j + 1]);
        if (px >= 0 && px < ow && py >= 0 && py < oh) {
          hps.put(k * j2 + 2 * j, px - cx);
          hps.put(k * j2 + 2 * j + 1, py - cy);
          hpsMask.put(k * j2 + 2 * j, (byte) 1);
          hpsMask.put(k * j2 + 2 * j + 1, (byte) 1);
          int slot = k * numJoints + j;
          sup.putPoint(hpOffset, hpInd, slot, px, py);
          hpMask.put(slot, 1L);
          sup.gaussian(hmHp, j * plane, (int) px, (int) py, jointRadius);
        }
      }
      sup.gaussian(hm, off, cx, cy, radius);
    }
  }

  /** Builds a {@link MultiPoseTargetEncoder}. Not thread-safe. */
  public static final class Builder extends EncoderBuilder<Builder> {
    private int numJoints = 17;
    private double jointMinOverlap = Double.NaN;

    private Builder(TargetGeometry geometry) {
      super(geometry, 1, 32);
    }

    /** Number of classes (default 1, person). */
    public Builder optNumClasses(int c) {
      numClasses = c;
      return this;
    }

    /** J (default 17, COCO). */
    public Builder optNumJoints(int j) {
      numJoints = j;
      return this;
    }

    /**
     * The joint Gaussians' radius from the radius rule at this overlap instead of the box's radius (Enhanced-CenterNet's
     * landmark sample: {@code gaussian_radius(..., min_overlap=1)}, radius 0).
     *
     * @throws io.github.keydet.api.InvalidConfigException unless in (0, 1]
     */
    public Builder optJointMinOverlap(double v) {
      RadiusRule.checkMinOverlap(v);
      jointMinOverlap = v;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** Validates and builds. */
    public MultiPoseTargetEncoder build() {
      validate();
      EncoderSupport.checkPositive("numJoints", numJoints);
      return new MultiPoseTargetEncoder(this);
    }
  }
}
