package io.github.keydet.core.coco;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.encode.ExtremePoints;
import io.github.keydet.core.encode.ObjectAnnotation;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link CocoDataset}'s annotations into target-encoder input. Stateless. */
public final class CocoObjects {
  private CocoObjects() {}

  /**
   * An image's annotations as target-encoder input for {@code family}, in file order, crowd regions included
   * (CenterNet's data loader does not filter them): class index from the category ({@link
   * CocoDataset#classIndex}), box from {@code bbox}; plus keypoints for {@link ModelFamily#MULTI_POSE} and extreme
   * points (from the polygons, or from the RLE mask) for {@link ModelFamily#EXTREMENET}.
   *
   * @throws InvalidInputException for an unknown image or category id, or missing keypoints / segmentation the
   *     family needs
   */
  public static List<ObjectAnnotation> objects(CocoDataset dataset, long imageId, ModelFamily family) {
    dataset.image(imageId);
    List<ObjectAnnotation> out = new ArrayList<>();
    for (CocoAnnotation a : dataset.annotations(imageId)) {
      int classIndex;
      try {
        classIndex = dataset.classIndex(a.categoryId());
      } catch (InvalidInputException e) {
        throw new InvalidInputException("annotation " + a.id() + ": " + e.getMessage(), e);
      }
      double[] b = a.bbox();
      ObjectAnnotation o = ObjectAnnotation.cocoBox(b[0], b[1], b[2], b[3], classIndex);
      if (family == ModelFamily.MULTI_POSE) {
        if (a.keypoints() == null) {
          throw new InvalidInputException("annotation " + a.id() + " has no keypoints; MULTI_POSE needs them");
        }
        o = o.withKeypoints(a.keypoints());
      }
      if (family == ModelFamily.EXTREMENET) {
        o = o.withExtremePoints(extremePoints(a));
      }
      out.add(o);
    }
    return out;
  }

  /** The extreme points of an annotation as ExtremeNet's tool computes them (polygons, else the RLE mask). */
  public static float[] extremePoints(CocoAnnotation a) {
    if (a.segmentation() instanceof Segmentation.Polygons ps) {
      int n = 0;
      for (double[] p : ps.polygons()) {
        n += p.length;
      }
      double[] all = new double[n];
      int k = 0;
      for (double[] p : ps.polygons()) {
        System.arraycopy(p, 0, all, k, p.length);
        k += p.length;
      }
      return ExtremePoints.fromPolygon(all);
    }
    if (a.segmentation() instanceof Segmentation.RunLength rl) {
      Rle rle = rl.rle();
      return ExtremePoints.fromMask(rle.toMask(), rle.height(), rle.width());
    }
    throw new InvalidInputException("annotation " + a.id() + " has no segmentation; ExtremeNet needs one");
  }
}
