package io.github.keydet.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * One {@link OnnxDetector}'s threading: its {@link CallAdmission} (calls past their wait) and {@link RunSlots}
 * (runs inside ONNX Runtime, and on which session), chosen from the builder's settings.
 *
 * <p>Elastic ({@link RunSlots#elastic}) when elastic runs are on, neither the intra-op threads nor the concurrent
 * runs are set, the model runs on the CPU and there are at least 2 cores: then as many runs as cores. Otherwise
 * fixed: the runs that were set, or the cores divided by one run's intra-op threads (ONNX Runtime's default is one
 * thread per core, so 1).
 */
record DetectorThreading(CallAdmission admission, RunSlots slots) {
  static DetectorThreading choose(OrtEnvironment env, OrtSession session, OnnxSessions.Settings settings,
      String provider, int cores, boolean elasticRuns, int maxConcurrentRuns) {
    if (elasticRuns && settings.intraOpThreads() == 0 && maxConcurrentRuns == 0 && cores >= 2
        && "CPU".equals(provider)) {
      CallAdmission admission = new CallAdmission(cores);
      OnnxSessions.Settings narrow = settings.sideBySide();
      return new DetectorThreading(admission, RunSlots.elastic(settings.name(), session, cores,
          () -> OnnxSessions.open(env, narrow).session(), admission));
    }
    CallAdmission admission = new CallAdmission(maxConcurrentRuns > 0 ? maxConcurrentRuns
        : CallAdmission.automaticConcurrentRuns(cores, settings.intraOpThreads()));
    return new DetectorThreading(admission, RunSlots.fixed(settings.name(), session, admission.maxConcurrentRuns()));
  }
}
