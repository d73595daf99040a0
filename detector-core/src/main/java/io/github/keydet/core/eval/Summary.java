package io.github.keydet.core.eval;

/**
 * {@code COCOeval.summarize}: the twelve standard AP / AR figures of a box or mask result ({@code
 * _summarizeDets}), or the ten of a keypoint result ({@code _summarizeKps}), each a mean over the selected
 * precision or recall values that are not -1, with numpy's pairwise summation. Static and stateless.
 */
final class Summary {
  private Summary() {}

  /** The 12 numbers of {@link CocoStats} or, for keypoints, the 10 of {@link KeypointStats}, in their order. */
  static double[] summarize(CocoEvalResult r) {
    return r.iouType() == IouType.KEYPOINTS ? summarizeKeypoints(r) : summarizeDetections(r);
  }

  /** {@code _summarizeKps}: maxDets 20 throughout, AP and AR at 0.50:0.95, 0.50, 0.75, medium, large. */
  private static double[] summarizeKeypoints(CocoEvalResult r) {
    double[] s = new double[10];
    for (int i = 0; i < 2; i++) {
      boolean ap = i == 0;
      s[5 * i] = summarizeOne(r, ap, null, "all", 20);
      s[5 * i + 1] = summarizeOne(r, ap, .5, "all", 20);
      s[5 * i + 2] = summarizeOne(r, ap, .75, "all", 20);
      s[5 * i + 3] = summarizeOne(r, ap, null, "medium", 20);
      s[5 * i + 4] = summarizeOne(r, ap, null, "large", 20);
    }
    return s;
  }

  private static double[] summarizeDetections(CocoEvalResult r) {
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
    return s;
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
}
