package io.github.keydet.core.eval;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.coco.CocoAnnotation;
import io.github.keydet.core.coco.CocoCategory;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoImage;
import io.github.keydet.core.coco.CocoResult;
import io.github.keydet.core.coco.Rle;
import io.github.keydet.core.coco.Segmentation;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code COCOeval.evaluate} prepares before matching: image and category ids in sorted order, the detections
 * checked and derived as the toolkit's {@code loadRes} does (area, box, and masks for {@code segm}; its branch is
 * chosen by the first result: a box, else a segmentation, else keypoints, whose extent then gives box and area),
 * and the ground truth and detections of each (image, category) cell in file order. Cell {@code c} is image
 * {@code c / K}, category {@code c % K}; its ground truth is {@code gtList[gtStart[c] .. gtStart[c + 1])}
 * (annotation indices), its detections {@code dtList[dtStart[c] .. dtStart[c + 1])} (result indices). Built once
 * per evaluation and not changed after.
 */
final class EvalSetup {
  final long[] imgIds;
  final long[] catIds;
  final Map<Long, CocoImage> images;
  final List<CocoAnnotation> anns;
  final int nd;
  final double[][] dtBox;
  final double[] dtArea;
  final double[] dtScore;
  /** Detection masks, for {@code segm} or results without boxes; else null. */
  final Rle[] dtRle;
  /** Detection keypoints {@code [3J]} (x, y, v), for {@code keypoints}; else null. */
  final double[][] dtKeypoints;
  final int cells;
  final int[] gtStart;
  final int[] dtStart;
  final int[] gtList;
  final int[] dtList;

  /**
   * @throws InvalidInputException when a result refers to an image or category not in {@code gt}, has a box of
   *     negative size or a NaN score, or an evaluated annotation has no numeric area; for keypoints, when a
   *     result lacks keypoints or an evaluated annotation lacks {@code num_keypoints}
   */
  EvalSetup(CocoDataset gt, List<CocoResult> results, IouType iouType) {
    imgIds = gt.images().stream().mapToLong(CocoImage::id).sorted().toArray();
    catIds = gt.categories().stream().mapToLong(CocoCategory::id).sorted().toArray();
    Map<Long, Integer> imgIndex = index(imgIds);
    Map<Long, Integer> catIndex = index(catIds);
    images = new HashMap<>();
    for (CocoImage im : gt.images()) {
      images.put(im.id(), im);
    }
    final int bigI = imgIds.length;
    final int bigK = catIds.length;

    // ---- detections: check and derive area / box as the toolkit's loadRes does
    nd = results.size();
    dtBox = new double[nd][];
    dtArea = new double[nd];
    dtScore = new double[nd];
    int[] dtCell = new int[nd];
    boolean boxBranch = nd == 0 || results.get(0).bbox() != null;
    boolean kpBranch = !boxBranch && results.get(0).segmentation() == null;
    dtRle = iouType == IouType.SEGM || (!boxBranch && !kpBranch) ? new Rle[nd] : null;
    dtKeypoints = iouType == IouType.KEYPOINTS ? new double[nd][] : null;
    for (int i = 0; i < nd; i++) {
      dtCell[i] = loadResult(i, results.get(i), imgIndex, catIndex, boxBranch, kpBranch);
    }

    // ---- ground truth per cell (image, category) in file order; objects outside the sets are not evaluated
    cells = bigI * bigK;
    gtStart = new int[cells + 1];
    dtStart = new int[cells + 1];
    anns = gt.annotations();
    int[] annCell = new int[anns.size()];
    for (int j = 0; j < anns.size(); j++) {
      CocoAnnotation a = anns.get(j);
      Integer ii = imgIndex.get(a.imageId());
      Integer kk = catIndex.get(a.categoryId());
      annCell[j] = ii == null || kk == null ? -1 : ii * bigK + kk;
      if (annCell[j] >= 0) {
        if (Double.isNaN(a.area())) {
          throw new InvalidInputException("annotation " + a.id() + " has no numeric 'area'; evaluation needs it");
        }
        if (iouType == IouType.KEYPOINTS && a.numKeypoints() < 0) {
          throw new InvalidInputException(
              "annotation " + a.id() + " has no 'num_keypoints'; keypoint evaluation needs it");
        }
        gtStart[annCell[j] + 1]++;
      }
    }
    for (int i = 0; i < nd; i++) {
      dtStart[dtCell[i] + 1]++;
    }
    for (int c = 0; c < cells; c++) {
      gtStart[c + 1] += gtStart[c];
      dtStart[c + 1] += dtStart[c];
    }
    gtList = new int[gtStart[cells]];
    dtList = new int[nd];
    int[] fillG = Arrays.copyOf(gtStart, cells);
    int[] fillD = Arrays.copyOf(dtStart, cells);
    for (int j = 0; j < anns.size(); j++) {
      if (annCell[j] >= 0) {
        gtList[fillG[annCell[j]]++] = j;
      }
    }
    for (int i = 0; i < nd; i++) {
      dtList[fillD[dtCell[i]]++] = i;
    }
  }

  /**
   * Checks result {@code i} and derives its score, box, area and mask (as {@code loadRes}) into the detection
   * arrays; returns its cell.
   */
  private int loadResult(int i, CocoResult r, Map<Long, Integer> imgIndex, Map<Long, Integer> catIndex,
      boolean boxBranch, boolean kpBranch) {
    Integer ii = imgIndex.get(r.imageId());
    if (ii == null) {
      throw new InvalidInputException(
          "result " + i + " refers to image id " + r.imageId() + ", which is not in the annotations");
    }
    Integer kk = catIndex.get(r.categoryId());
    if (kk == null) {
      throw new InvalidInputException(
          "result " + i + " has category id " + r.categoryId() + ", which is not in the annotations' categories "
              + Arrays.toString(catIds));
    }
    if (Double.isNaN(r.score())) {
      throw new InvalidInputException("result " + i + " has a NaN score");
    }
    dtScore[i] = r.score();
    CocoImage im = images.get(r.imageId());
    if (dtKeypoints != null || kpBranch) {
      if (r.keypoints() == null) {
        throw new InvalidInputException("result " + i + " has no keypoints"
            + (kpBranch ? ", and the first result has neither bbox nor segmentation" : "; keypoint evaluation needs them"));
      }
      if (dtKeypoints != null) {
        dtKeypoints[i] = r.keypoints();
      }
    }
    if (kpBranch) {
      if (dtRle != null) {
        throw new InvalidInputException("result " + i + " has only keypoints; segm evaluation needs masks or boxes");
      }
      // loadRes: box and area from the keypoints' extent (v not read)
      double[] k = r.keypoints();
      double x0 = Double.POSITIVE_INFINITY;
      double y0 = Double.POSITIVE_INFINITY;
      double x1 = Double.NEGATIVE_INFINITY;
      double y1 = Double.NEGATIVE_INFINITY;
      for (int j = 0; j + 2 < k.length; j += 3) {
        x0 = Math.min(x0, k[j]);
        x1 = Math.max(x1, k[j]);
        y0 = Math.min(y0, k[j + 1]);
        y1 = Math.max(y1, k[j + 1]);
      }
      dtBox[i] = new double[] {x0, y0, x1 - x0, y1 - y0};
      dtArea[i] = (x1 - x0) * (y1 - y0);
    } else if (boxBranch) {
      double[] b = r.bbox();
      if (b == null) {
        throw new InvalidInputException("result " + i + " has no bbox, but the first result has one");
      }
      if (b[2] < 0 || b[3] < 0) {
        throw new InvalidInputException("result " + i + " has a bbox of negative size " + Arrays.toString(b));
      }
      dtBox[i] = b;
      dtArea[i] = b[2] * b[3];
      if (dtRle != null) {
        Segmentation s = r.segmentation();
        dtRle[i] = s != null
            ? s.toRle(im.height(), im.width())
            : boxPolygon(b).toRle(im.height(), im.width());
      }
    } else {
      if (r.segmentation() == null) {
        throw new InvalidInputException("result " + i + " has no segmentation, and the first result has no bbox");
      }
      Rle rle = r.segmentation().toRle(im.height(), im.width());
      dtRle[i] = rle;
      dtArea[i] = rle.area();
      dtBox[i] = r.bbox() != null ? r.bbox() : rle.toBbox();
    }
    return ii * catIds.length + kk;
  }

  private static Segmentation boxPolygon(double[] b) {
    double x1 = b[0];
    double x2 = b[0] + b[2];
    double y1 = b[1];
    double y2 = b[1] + b[3];
    return new Segmentation.Polygons(List.of(new double[] {x1, y1, x1, y2, x2, y2, x2, y1}));
  }

  private static Map<Long, Integer> index(long[] ids) {
    Map<Long, Integer> m = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      m.put(ids[i], i);
    }
    return m;
  }
}
