package io.github.keydet.core.eval;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.coco.CocoAnnotation;
import io.github.keydet.core.coco.CocoImage;
import io.github.keydet.core.coco.Rle;
import io.github.keydet.core.coco.Segmentation;
import io.github.keydet.core.nms.ScoreOrder;
import java.util.Arrays;

/**
 * {@code COCOeval.evaluateImg} for every (image, category) cell: the detections in stable descending score order
 * cut at the largest maxDets, their IoUs (box, mask) or OKS ({@link Oks}) with the cell's ground truth, and the
 * greedy matching per area range and threshold. Ground truth is ignored when it is a crowd region, when (keypoints)
 * its {@code num_keypoints} is 0, or when its area is outside the range; only crowd regions may be matched more
 * than once. Static and stateless.
 */
final class CellMatching {
  private CellMatching() {}

  /** Per (image, category): sorted scores, match codes per area range [T * D], regular gt count. */
  static final class CellEval {
    double[] scores;
    byte[][] codes;
    int[] regularGt;
  }

  static final byte FP = 0;
  static final byte TP = 1;
  static final byte IGNORED = 2;

  /**
   * The evaluation of every cell, null for cells without ground truth and detections.
   *
   * @throws InvalidInputException (segm) when a ground-truth object of an evaluated cell lacks a mask; (keypoints)
   *     when the parameters have no sigmas, or an object or detection lacks keypoints or has not one per sigma
   */
  static CellEval[] evaluate(EvalSetup setup, IouType iouType, CocoEvalParams params) {
    int maxDet = params.maxDets()[params.maxDets().length - 1];
    double[] vars = null;
    if (iouType == IouType.KEYPOINTS) {
      if (params.keypointSigmas().length == 0) {
        throw new InvalidConfigException("keypoint evaluation needs keypoint sigmas (CocoEvalParams.keypoints())");
      }
      vars = Oks.variances(params.keypointSigmas());
    }
    CellEval[] evals = new CellEval[setup.cells];
    // ground-truth masks, made on first use and shared by the cells
    Rle[] gtRle = iouType == IouType.SEGM ? new Rle[setup.anns.size()] : null;
    for (int c = 0; c < setup.cells; c++) {
      int g0 = setup.gtStart[c];
      int g1 = setup.gtStart[c + 1];
      int d0 = setup.dtStart[c];
      int d1 = setup.dtStart[c + 1];
      if (g0 == g1 && d0 == d1) {
        continue;
      }
      int[] dts = Arrays.copyOfRange(setup.dtList, d0, d1);
      ScoreOrder.sortDescending(dts, 0, dts.length, setup.dtScore);
      int bigD = Math.min(dts.length, maxDet);
      int bigG = g1 - g0;
      CocoAnnotation[] gts = new CocoAnnotation[bigG];
      for (int g = 0; g < bigG; g++) {
        gts[g] = setup.anns.get(setup.gtList[g0 + g]);
      }
      double[] ious = switch (iouType) {
        case BBOX -> boxIous(setup, dts, bigD, gts);
        case SEGM -> maskIous(setup, c, dts, bigD, gts, gtRle);
        case KEYPOINTS -> oksValues(setup, dts, bigD, gts, vars);
      };
      boolean[] baseIgnore = new boolean[bigG];
      for (int g = 0; g < bigG; g++) {
        baseIgnore[g] = gts[g].crowd() || (iouType == IouType.KEYPOINTS && gts[g].numKeypoints() == 0);
      }
      evals[c] = matchCell(setup, dts, bigD, gts, baseIgnore, ious, params);
    }
    return evals;
  }

  /** IoUs [D * G] of the cell's first D detections (score order) with its ground truth, by box. */
  private static double[] boxIous(EvalSetup setup, int[] dts, int bigD, CocoAnnotation[] gts) {
    int bigG = gts.length;
    double[] ious = new double[bigD * bigG];
    for (int d = 0; d < bigD; d++) {
      double[] db = setup.dtBox[dts[d]];
      for (int g = 0; g < bigG; g++) {
        ious[d * bigG + g] = boxOverlap(db, gts[g].bbox(), gts[g].crowd());
      }
    }
    return ious;
  }

  /** OKS [D * G] of the cell's first D detections (score order) with its ground truth. */
  private static double[] oksValues(EvalSetup setup, int[] dts, int bigD, CocoAnnotation[] gts, double[] vars) {
    int bigG = gts.length;
    double[] oks = new double[bigD * bigG];
    for (int d = 0; d < bigD; d++) {
      double[] dk = setup.dtKeypoints[dts[d]];
      for (int g = 0; g < bigG; g++) {
        oks[d * bigG + g] = Oks.oks(dk, gts[g], vars);
      }
    }
    return oks;
  }

  /** As {@link #boxIous} by mask; ground-truth masks are made into {@code gtRle} on first use. */
  private static double[] maskIous(
      EvalSetup setup, int cell, int[] dts, int bigD, CocoAnnotation[] gts, Rle[] gtRle) {
    int bigG = gts.length;
    int g0 = setup.gtStart[cell];
    CocoImage im = setup.images.get(setup.imgIds[cell / setup.catIds.length]);
    Rle[] gr = new Rle[bigG];
    for (int g = 0; g < bigG; g++) {
      int j = setup.gtList[g0 + g];
      if (gtRle[j] == null) {
        Segmentation s = gts[g].segmentation();
        if (s == null) {
          throw new InvalidInputException(
              "annotation " + gts[g].id() + " has no segmentation, needed for segm evaluation");
        }
        gtRle[j] = s.toRle(im.height(), im.width());
      }
      gr[g] = gtRle[j];
    }
    double[] ious = new double[bigD * bigG];
    for (int d = 0; d < bigD; d++) {
      for (int g = 0; g < bigG; g++) {
        ious[d * bigG + g] = Rle.iou(setup.dtRle[dts[d]], gr[g], gts[g].crowd());
      }
    }
    return ious;
  }

  /** The cell's scores, and per area range its match codes and regular ground-truth count. */
  private static CellEval matchCell(EvalSetup setup, int[] dts, int bigD, CocoAnnotation[] gts, boolean[] baseIgnore,
      double[] ious, CocoEvalParams params) {
    int bigA = params.areaRanges().size();
    CellEval e = new CellEval();
    e.scores = new double[bigD];
    for (int d = 0; d < bigD; d++) {
      e.scores[d] = setup.dtScore[dts[d]];
    }
    e.codes = new byte[bigA][];
    e.regularGt = new int[bigA];
    for (int a = 0; a < bigA; a++) {
      double[] rng = params.areaRanges().get(a);
      boolean[] ig = new boolean[gts.length];
      int npig = 0;
      for (int g = 0; g < gts.length; g++) {
        ig[g] = baseIgnore[g] || gts[g].area() < rng[0] || gts[g].area() > rng[1];
        npig += ig[g] ? 0 : 1;
      }
      e.codes[a] = match(gts, ig, dts, bigD, ious, setup.dtArea, rng, params.iouThresholds());
      e.regularGt[a] = npig;
    }
    return e;
  }

  /** The greedy matching of {@code evaluateImg} for one area range, {@code ig0} the ignored objects; codes [T * D]. */
  private static byte[] match(CocoAnnotation[] gts0, boolean[] ig0, int[] dts, int bigD, double[] ious0,
      double[] dtArea, double[] rng, double[] thrs) {
    int bigG = gts0.length;
    int bigT = thrs.length;
    // gt order: regular first, ignored last, stable
    int[] order = new int[bigG];
    boolean[] ig = new boolean[bigG];
    int p = 0;
    for (int g = 0; g < bigG; g++) {
      if (!ig0[g]) {
        order[p++] = g;
      }
    }
    for (int g = 0; g < bigG; g++) {
      if (ig0[g]) {
        order[p++] = g;
      }
    }
    boolean[] crowd = new boolean[bigG];
    long[] gtId = new long[bigG];
    for (int g = 0; g < bigG; g++) {
      ig[g] = ig0[order[g]];
      crowd[g] = gts0[order[g]].crowd();
      gtId[g] = gts0[order[g]].id();
    }
    byte[] codes = new byte[bigT * bigD];
    boolean[] gtm = new boolean[bigG];
    for (int t = 0; t < bigT; t++) {
      Arrays.fill(gtm, false);
      for (int d = 0; d < bigD; d++) {
        double iou = Math.min(thrs[t], 1 - 1e-10);
        int m = -1;
        int row = d * bigG;
        for (int g = 0; g < bigG; g++) {
          if (gtm[g] && !crowd[g]) {
            continue;
          }
          if (m > -1 && !ig[m] && ig[g]) {
            break;
          }
          double v = ious0[row + order[g]];
          if (v < iou) {
            continue;
          }
          iou = v;
          m = g;
        }
        byte code;
        if (m == -1 || gtId[m] == 0) {
          // unmatched (a match to gt id 0 reads as unmatched in the toolkit)
          if (m != -1) {
            gtm[m] = true;
          }
          boolean outside = dtArea[dts[d]] < rng[0] || dtArea[dts[d]] > rng[1];
          code = (m != -1 && ig[m]) || outside ? IGNORED : FP;
        } else {
          gtm[m] = true;
          code = ig[m] ? IGNORED : TP;
        }
        codes[t * bigD + d] = code;
      }
    }
    return codes;
  }

  /**
   * The toolkit's box overlap, {@code bbIou} of maskApi.c step by step: intersection / union, or for a crowd
   * region intersection / detection area. Boxes are (x, y, w, h). The areas are {@code w * h} of the given sizes,
   * as in the toolkit, not computed from the corners: {@code ((x + w) - x) * h} can differ from {@code w * h} in
   * the last bit, enough to move an IoU of exactly 0.5 below the 0.50 threshold.
   */
  private static double boxOverlap(double[] d, double[] g, boolean crowd) {
    double iw = Math.min(d[0] + d[2], g[0] + g[2]) - Math.max(d[0], g[0]);
    if (iw <= 0) {
      return 0;
    }
    double ih = Math.min(d[1] + d[3], g[1] + g[3]) - Math.max(d[1], g[1]);
    if (ih <= 0) {
      return 0;
    }
    double inter = iw * ih;
    double da = d[2] * d[3];
    return inter / (crowd ? da : da + g[2] * g[3] - inter);
  }
}
