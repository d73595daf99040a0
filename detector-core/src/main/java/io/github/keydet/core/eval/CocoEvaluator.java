package io.github.keydet.core.eval;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.coco.CocoAnnotation;
import io.github.keydet.core.coco.CocoCategory;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoImage;
import io.github.keydet.core.coco.CocoResult;
import io.github.keydet.core.coco.Rle;
import io.github.keydet.core.coco.Segmentation;
import io.github.keydet.core.nms.ScoreOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COCO evaluation with the rules of pycocotools' {@code COCOeval} ({@code evaluate}, {@code accumulate},
 * {@code summarize}) for {@code bbox} and {@code segm}. Stateless and thread-safe.
 *
 * <p>Rules reproduced: every image of the annotations file and every category is evaluated; per image and
 * category the detections are sorted by descending score, stably (equal scores keep results order), and cut at
 * the largest maxDets; ground truth is ordered with ignored objects (crowd, or area outside the range) last;
 * each detection in turn takes the still unmatched object (crowd regions may be taken many times) with the
 * highest IoU &gt;= the threshold, a later object winning an equal IoU, and stops at ignored objects once it
 * holds a regular one; a detection matched to an ignored object, or unmatched with a box area outside the range,
 * is ignored; detections on images without ground truth are false positives. Crowd overlap is intersection /
 * detection area. Precision is interpolated at 101 recall points with the monotone envelope; categories without
 * regular ground truth give -1 and are left out of the means. Results carry the toolkit's quirks too: a match to
 * a ground-truth object whose id is 0 counts as no match.
 */
public final class CocoEvaluator {
  private static final Logger LOG = LoggerFactory.getLogger(CocoEvaluator.class);
  private static final double EPS = Math.ulp(1.0); // np.spacing(1)

  private CocoEvaluator() {}

  /** Evaluates with the toolkit's default settings. */
  public static CocoEvalResult evaluate(CocoDataset gt, List<CocoResult> results, IouType iouType) {
    return evaluate(gt, results, iouType, CocoEvalParams.coco());
  }

  /**
   * Evaluates detections against ground truth.
   *
   * @throws InvalidInputException when a result refers to an image or category not in {@code gt}, has a box of
   *     negative size or a NaN score, or (segm) an object lacks a mask
   */
  public static CocoEvalResult evaluate(
      CocoDataset gt, List<CocoResult> results, IouType iouType, CocoEvalParams params) {
    long t0 = System.nanoTime();
    long[] imgIds = gt.images().stream().mapToLong(CocoImage::id).sorted().toArray();
    long[] catIds = gt.categories().stream().mapToLong(CocoCategory::id).sorted().toArray();
    Map<Long, Integer> imgIndex = index(imgIds);
    Map<Long, Integer> catIndex = index(catIds);
    Map<Long, CocoImage> images = new HashMap<>();
    for (CocoImage im : gt.images()) {
      images.put(im.id(), im);
    }
    final int bigI = imgIds.length;
    final int bigK = catIds.length;
    final int bigT = params.iouThresholds().length;
    final int bigA = params.areaRanges().size();
    final int maxDet = params.maxDets()[params.maxDets().length - 1];

    // ---- detections: check and derive area / box as the toolkit's loadRes does
    int nd = results.size();
    double[][] dtBox = new double[nd][];
    double[] dtArea = new double[nd];
    double[] dtScore = new double[nd];
    int[] dtCell = new int[nd];
    boolean boxBranch = nd == 0 || results.get(0).bbox() != null;
    Rle[] dtRle = iouType == IouType.SEGM || !boxBranch ? new Rle[nd] : null;
    for (int i = 0; i < nd; i++) {
      CocoResult r = results.get(i);
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
      dtCell[i] = ii * bigK + kk;
      dtScore[i] = r.score();
      CocoImage im = images.get(r.imageId());
      if (boxBranch) {
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
    }

    // ---- ground truth per cell (image, category) in file order; objects outside the sets are not evaluated
    int cells = bigI * bigK;
    int[] gtStart = new int[cells + 1];
    int[] dtStart = new int[cells + 1];
    List<CocoAnnotation> anns = gt.annotations();
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
    int[] gtList = new int[gtStart[cells]];
    int[] dtList = new int[nd];
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

    // ---- evaluateImg for every cell and area range
    CellEval[] evals = new CellEval[cells];
    Rle[] gtRle = iouType == IouType.SEGM ? new Rle[anns.size()] : null;
    for (int c = 0; c < cells; c++) {
      int g0 = gtStart[c];
      int g1 = gtStart[c + 1];
      int d0 = dtStart[c];
      int d1 = dtStart[c + 1];
      if (g0 == g1 && d0 == d1) {
        continue;
      }
      int[] dts = Arrays.copyOfRange(dtList, d0, d1);
      ScoreOrder.sortDescending(dts, 0, dts.length, dtScore);
      int bigD = Math.min(dts.length, maxDet);
      int bigG = g1 - g0;
      CocoAnnotation[] gts = new CocoAnnotation[bigG];
      for (int g = 0; g < bigG; g++) {
        gts[g] = anns.get(gtList[g0 + g]);
      }
      double[] ious = new double[bigD * bigG];
      if (iouType == IouType.BBOX) {
        for (int d = 0; d < bigD; d++) {
          double[] db = dtBox[dts[d]];
          for (int g = 0; g < bigG; g++) {
            ious[d * bigG + g] = boxOverlap(db, gts[g].bbox(), gts[g].crowd());
          }
        }
      } else {
        CocoImage im = images.get(imgIds[c / bigK]);
        Rle[] gr = new Rle[bigG];
        for (int g = 0; g < bigG; g++) {
          int j = gtList[g0 + g];
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
        for (int d = 0; d < bigD; d++) {
          for (int g = 0; g < bigG; g++) {
            ious[d * bigG + g] = Rle.iou(dtRle[dts[d]], gr[g], gts[g].crowd());
          }
        }
      }
      CellEval e = new CellEval();
      e.scores = new double[bigD];
      for (int d = 0; d < bigD; d++) {
        e.scores[d] = dtScore[dts[d]];
      }
      e.codes = new byte[bigA][];
      e.regularGt = new int[bigA];
      for (int a = 0; a < bigA; a++) {
        double[] rng = params.areaRanges().get(a);
        e.codes[a] = match(gts, dts, bigD, ious, dtArea, rng, params.iouThresholds());
        int npig = 0;
        for (CocoAnnotation g : gts) {
          if (!ignored(g, rng)) {
            npig++;
          }
        }
        e.regularGt[a] = npig;
      }
      evals[c] = e;
    }
    long t1 = System.nanoTime();

    // ---- accumulate
    double[][] pr = accumulate(evals, bigI, bigK, params);
    double[] precision = pr[0];
    double[] recall = pr[1];
    CocoEvalResult partial = new CocoEvalResult(iouType, params, catIds, precision, recall, null);
    CocoStats stats = summarize(partial);
    long t2 = System.nanoTime();
    LOG.debug(
        "COCO {} evaluation of {} images, {} categories, {} detections: evaluate {} ms, accumulate {} ms",
        iouType, bigI, bigK, nd, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    return new CocoEvalResult(iouType, params, catIds, precision, recall, stats);
  }

  /** Per (image, category): sorted scores, match codes per area range [T * D], regular gt count. */
  private static final class CellEval {
    double[] scores;
    byte[][] codes;
    int[] regularGt;
  }

  private static final byte FP = 0;
  private static final byte TP = 1;
  private static final byte IGNORED = 2;

  private static boolean ignored(CocoAnnotation g, double[] rng) {
    return g.crowd() || g.area() < rng[0] || g.area() > rng[1];
  }

  /** The greedy matching of {@code evaluateImg} for one area range; codes [T * D]. */
  private static byte[] match(
      CocoAnnotation[] gts0, int[] dts, int bigD, double[] ious0, double[] dtArea, double[] rng, double[] thrs) {
    int bigG = gts0.length;
    int bigT = thrs.length;
    // gt order: regular first, ignored last, stable
    int[] order = new int[bigG];
    boolean[] ig = new boolean[bigG];
    int p = 0;
    for (int g = 0; g < bigG; g++) {
      if (!ignored(gts0[g], rng)) {
        order[p++] = g;
      }
    }
    for (int g = 0; g < bigG; g++) {
      if (ignored(gts0[g], rng)) {
        order[p++] = g;
      }
    }
    boolean[] crowd = new boolean[bigG];
    long[] gtId = new long[bigG];
    for (int g = 0; g < bigG; g++) {
      ig[g] = ignored(gts0[order[g]], rng);
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

  private static double[][] accumulate(CellEval[] evals, int bigI, int bigK, CocoEvalParams params) {
    double[] iouThrs = params.iouThresholds();
    double[] recThrs = params.recallThresholds();
    int bigT = iouThrs.length;
    int bigR = recThrs.length;
    int bigA = params.areaRanges().size();
    int[] maxDets = params.maxDets();
    int bigM = maxDets.length;
    double[] precision = new double[bigT * bigR * bigK * bigA * bigM];
    double[] recall = new double[bigT * bigK * bigA * bigM];
    Arrays.fill(precision, -1);
    Arrays.fill(recall, -1);
    for (int k = 0; k < bigK; k++) {
      int total = 0;
      for (int i = 0; i < bigI; i++) {
        CellEval e = evals[i * bigK + k];
        if (e != null) {
          total += e.scores.length;
        }
      }
      int[] refCell = new int[total];
      int[] refDet = new int[total];
      double[] refScore = new double[total];
      double[] rc = new double[total];
      double[] prec = new double[total];
      for (int m = 0; m < bigM; m++) {
        int n = 0;
        boolean any = false;
        for (int i = 0; i < bigI; i++) {
          int c = i * bigK + k;
          CellEval e = evals[c];
          if (e == null) {
            continue;
          }
          any = true;
          int dn = Math.min(e.scores.length, maxDets[m]);
          for (int d = 0; d < dn; d++) {
            refCell[n] = c;
            refDet[n] = d;
            refScore[n] = e.scores[d];
            n++;
          }
        }
        if (!any) {
          continue;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
        ScoreOrder.sortDescending(order, 0, n, refScore);
        for (int a = 0; a < bigA; a++) {
          int npig = 0;
          for (int i = 0; i < bigI; i++) {
            CellEval e = evals[i * bigK + k];
            if (e != null) {
              npig += e.regularGt[a];
            }
          }
          if (npig == 0) {
            continue;
          }
          for (int t = 0; t < bigT; t++) {
            double tp = 0;
            double fp = 0;
            for (int j = 0; j < n; j++) {
              int o = order[j];
              CellEval e = evals[refCell[o]];
              byte code = e.codes[a][t * e.scores.length + refDet[o]];
              if (code == TP) {
                tp++;
              } else if (code == FP) {
                fp++;
              }
              rc[j] = tp / npig;
              prec[j] = tp / (fp + tp + EPS);
            }
            recall[((t * bigK + k) * bigA + a) * bigM + m] = n > 0 ? rc[n - 1] : 0;
            for (int j = n - 1; j > 0; j--) {
              if (prec[j] > prec[j - 1]) {
                prec[j - 1] = prec[j];
              }
            }
            int pi = 0;
            for (int r = 0; r < bigR; r++) {
              // searchsorted(rc, recThrs, 'left'): first index with rc >= threshold
              while (pi < n && rc[pi] < recThrs[r]) {
                pi++;
              }
              double q = pi < n ? prec[pi] : 0;
              precision[(((t * bigR + r) * bigK + k) * bigA + a) * bigM + m] = q;
            }
          }
        }
      }
    }
    return new double[][] {precision, recall};
  }

  private static CocoStats summarize(CocoEvalResult r) {
    CocoEvalParams p = r.params();
    int[] md = p.maxDets();
    int m2 = md[Math.min(2, md.length - 1)];
    double[] s = new double[12];
    s[0] = summarizeOne(r, true, null, "all", m2);
    s[1] = summarizeOne(r, true, .5, "all", m2);
    s[2] = summarizeOne(r, true, .75, "all", m2);
    s[3] = summarizeOne(r, true, null, "small", m2);
    s[4] = summarizeOne(r, true, null, "medium", m2);
    s[5] = summarizeOne(r, true, null, "large", m2);
    s[6] = summarizeOne(r, false, null, "all", md[0]);
    s[7] = summarizeOne(r, false, null, "all", md[Math.min(1, md.length - 1)]);
    s[8] = summarizeOne(r, false, null, "all", m2);
    s[9] = summarizeOne(r, false, null, "small", m2);
    s[10] = summarizeOne(r, false, null, "medium", m2);
    s[11] = summarizeOne(r, false, null, "large", m2);
    return CocoStats.of(s);
  }

  private static double summarizeOne(CocoEvalResult r, boolean ap, Double iouThr, String area, int maxDets) {
    CocoEvalParams p = r.params();
    int a = p.areaIndex(area);
    int m = p.maxDetsIndex(maxDets);
    int bigT = p.iouThresholds().length;
    int bigR = p.recallThresholds().length;
    int bigK = r.categoryIds().length;
    if (a < 0 || m < 0) {
      return -1;
    }
    int tFrom = 0;
    int tTo = bigT;
    if (iouThr != null) {
      int t = p.iouIndex(iouThr);
      if (t < 0) {
        return -1;
      }
      tFrom = t;
      tTo = t + 1;
    }
    // values in numpy's C order of the selected sub-array, then numpy's pairwise mean
    double[] vals = new double[(tTo - tFrom) * (ap ? bigR : 1) * bigK];
    int n = 0;
    for (int t = tFrom; t < tTo; t++) {
      if (ap) {
        for (int rr = 0; rr < bigR; rr++) {
          for (int k = 0; k < bigK; k++) {
            double v = r.precision(t, rr, k, a, m);
            if (v > -1) {
              vals[n++] = v;
            }
          }
        }
      } else {
        for (int k = 0; k < bigK; k++) {
          double v = r.recall(t, k, a, m);
          if (v > -1) {
            vals[n++] = v;
          }
        }
      }
    }
    return n == 0 ? -1 : pairwiseSum(vals, 0, n) / n;
  }

  /** numpy's pairwise summation of float64 ({@code pairwise_sum}, block 128, 8 accumulators). */
  static double pairwiseSum(double[] a, int from, int n) {
    if (n < 8) {
      double res = 0.;
      for (int i = 0; i < n; i++) {
        res += a[from + i];
      }
      return res;
    } else if (n <= 128) {
      double[] r = new double[8];
      for (int j = 0; j < 8; j++) {
        r[j] = a[from + j];
      }
      int i;
      for (i = 8; i < n - (n % 8); i += 8) {
        for (int j = 0; j < 8; j++) {
          r[j] += a[from + i + j];
        }
      }
      double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) {
        res += a[from + i];
      }
      return res;
    } else {
      int n2 = n / 2;
      n2 -= n2 % 8;
      return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
    }
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
