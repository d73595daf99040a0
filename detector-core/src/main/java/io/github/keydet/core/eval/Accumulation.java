package io.github.keydet.core.eval;

import io.github.keydet.core.eval.CellMatching.CellEval;
import io.github.keydet.core.nms.ScoreOrder;
import java.util.Arrays;

/**
 * {@code COCOeval.accumulate}: per category, area range, maxDets and IoU threshold, the detections of all images
 * in stable descending score order, their cumulative precision and recall, and precision at the 101 recall
 * thresholds with the monotone envelope. Static and stateless.
 */
final class Accumulation {
  private static final double EPS = Math.ulp(1.0); // np.spacing(1)

  private Accumulation() {}

  /**
   * Precision [T, R, K, A, M] and recall [T, K, A, M] in C order, -1 where a category has no regular ground truth.
   */
  static double[][] accumulate(CellEval[] evals, int bigI, int bigK, CocoEvalParams params) {
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
              if (code == CellMatching.TP) {
                tp++;
              } else if (code == CellMatching.FP) {
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
}
