package io.github.keydet.core.eval;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoResult;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COCO evaluation with the rules of pycocotools' {@code COCOeval} ({@code evaluate}, {@code accumulate},
 * {@code summarize}) for {@code bbox}, {@code segm} and {@code keypoints}. Stateless and thread-safe.
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
 * a ground-truth object whose id is 0 counts as no match. Keypoints use OKS ({@link Oks}) in place of IoU, also
 * for crowd regions, and ignore objects whose {@code num_keypoints} is 0 as well as crowds.
 *
 * <p>The stages, each in its own package-private class: {@link EvalSetup} (ids, detections as {@code loadRes}
 * derives them, ground truth and detections per image and category), {@link CellMatching} ({@code evaluateImg}),
 * {@link Accumulation} ({@code accumulate}) and {@link Summary} ({@code summarize}).
 */
public final class CocoEvaluator {
  private static final Logger LOG = LoggerFactory.getLogger(CocoEvaluator.class);

  private CocoEvaluator() {}

  /** Evaluates with the toolkit's default settings for the type ({@link CocoEvalParams#forType}). */
  public static CocoEvalResult evaluate(CocoDataset gt, List<CocoResult> results, IouType iouType) {
    return evaluate(gt, results, iouType, CocoEvalParams.forType(iouType));
  }

  /**
   * Evaluates detections against ground truth.
   *
   * @throws InvalidInputException when a result refers to an image or category not in {@code gt}, has a box of
   *     negative size or a NaN score, (segm) an object lacks a mask, or (keypoints) a result or object lacks
   *     keypoints or {@code num_keypoints}, or has not one keypoint per sigma
   */
  public static CocoEvalResult evaluate(
      CocoDataset gt, List<CocoResult> results, IouType iouType, CocoEvalParams params) {
    long t0 = System.nanoTime();
    EvalSetup s = new EvalSetup(gt, results, iouType);
    CellMatching.CellEval[] evals = CellMatching.evaluate(s, iouType, params);
    long t1 = System.nanoTime();
    int bigI = s.imgIds.length;
    int bigK = s.catIds.length;
    double[][] pr = Accumulation.accumulate(evals, bigI, bigK, params);
    double[] precision = pr[0];
    double[] recall = pr[1];
    CocoEvalResult partial = new CocoEvalResult(iouType, params, s.catIds, precision, recall, null);
    double[] stats = Summary.summarize(partial);
    long t2 = System.nanoTime();
    LOG.debug(
        "COCO {} evaluation of {} images, {} categories, {} detections: evaluate {} ms, accumulate {} ms",
        iouType, bigI, bigK, s.nd, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    return new CocoEvalResult(iouType, params, s.catIds, precision, recall, stats);
  }
}
