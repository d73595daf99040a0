package io.github.keydet.api;

/**
 * Wall-clock time spent in each stage of one {@code detect} call, in nanoseconds, measured around the stages
 * that ran (CenterNet's detector reports the same four: pre / net / dec / post).
 *
 * @param preprocessNanos image to input tensor
 * @param inferenceNanos the network run
 * @param decodeNanos heads to candidate detections
 * @param postprocessNanos back-transform, NMS, thresholds
 */
public record StageTimings(
    long preprocessNanos, long inferenceNanos, long decodeNanos, long postprocessNanos) {

  /** No time measured. */
  public static final StageTimings NONE = new StageTimings(0, 0, 0, 0);

  public long totalNanos() {
    return preprocessNanos + inferenceNanos + decodeNanos + postprocessNanos;
  }

  /** Stage-wise sum, for accumulating over a batch. */
  public StageTimings plus(StageTimings o) {
    return new StageTimings(
        preprocessNanos + o.preprocessNanos,
        inferenceNanos + o.inferenceNanos,
        decodeNanos + o.decodeNanos,
        postprocessNanos + o.postprocessNanos);
  }
}
