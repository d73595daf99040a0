package io.github.keydet.core.coco;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.encode.ExtremePoints;
import io.github.keydet.core.encode.ObjectAnnotation;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link CocoDataset}'s annotations into target-encoder input. Stateless. */
public final class CocoObjects {
  private CocoObjects() {}

  /**
   * What a family reads from an annotation beyond its class and box (keypoints, extreme points); each family
   * declares its own ({@code DetectorFamily.annotation}).
   */
  @FunctionalInterface
  public interface Extras {
    /** Only class and box. */
    Extras NONE = (annotation, box) -> box;

    /**
     * {@code box} (class and box read from {@code annotation}) with the family's extras added.
     *
     * @throws InvalidInputException when the annotation lacks what the family needs
     */
    ObjectAnnotation add(CocoAnnotation annotation, ObjectAnnotation box);
  }

  /**
   * An image's annotations as target-encoder input, in file order, crowd regions included (CenterNet's data
   * loader does not filter them): class index from the category ({@link CocoDataset#classIndex}), box from {@code
   * bbox}; plus what the family's {@code extras} add (keypoints for pose, extreme points for ExtremeNet).
   *
   * @throws InvalidInputException for an unknown image or category id, or missing keypoints / segmentation the
   *     family needs
   */
  public static List<ObjectAnnotation> objects(CocoDataset dataset, long imageId, Extras extras) {
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
      out.add(extras.add(a, o));
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
