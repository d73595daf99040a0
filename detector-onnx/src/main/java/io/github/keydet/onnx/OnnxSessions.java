package io.github.keydet.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an ONNX Runtime session on the chosen execution provider: CUDA when it is asked for (or AUTO) and
 * usable, else the CPU with one log line saying why (an error for a strict CUDA request). Stateless apart from
 * the provider that was used.
 */
final class OnnxSessions {
  // logged under the detector's name: the provider line is part of what users configure and grep for there
  private static final Logger LOG = LoggerFactory.getLogger(OnnxDetector.class);

  /**
   * Where the model comes from and how the session runs; {@code memoryPattern} is ONNX Runtime's memory-pattern
   * planning (on, except in elastic runs' one-thread session, see {@link #sideBySide}).
   */
  record Settings(Path modelPath, byte[] modelBytes, String name, ExecutionProvider provider, CudaProbe cudaProbe,
      int intraOpThreads, boolean allowSpinning, Path optimizedCache, boolean memoryPattern) {
    /** The checks every builder of a session makes. */
    Settings {
      if (intraOpThreads < 0) {
        throw new InvalidConfigException("intra-op threads must be >= 0, got " + intraOpThreads);
      }
      if (provider == null || cudaProbe == null) {
        throw new InvalidConfigException("provider and cudaProbe must not be null");
      }
    }

    /**
     * @throws ModelLoadException "{@code what} file not found: ABSOLUTE_PATH" when the model comes from a path that
     *     is not a regular file (bytes are not checked here)
     */
    void requireModelFile(String what) {
      if (modelPath != null && !Files.isRegularFile(modelPath)) {
        throw new ModelLoadException(what + " file not found: " + modelPath.toAbsolutePath());
      }
    }

    /**
     * The same model for elastic runs' one-thread session: on the CPU, one intra-op thread, memory pattern off.
     * Why off: each of the concurrent runs of one session takes its own pattern block from ONNX Runtime's arena.
     * Measured with {@code keydet bench --clients N --runs 300}, bundled model, 2 cores, three series each: peak
     * RSS at 16 callers 300–355 MB off against 357–399 on (237 MB with one run at a time), so within the 1.5x
     * bound; the cost is 5–7 % of the images/s (2 callers 34.6–38.5 against 38.0–41.3).
     */
    Settings sideBySide() {
      return new Settings(modelPath, modelBytes, name, ExecutionProvider.cpu(), cudaProbe, 1, allowSpinning,
          optimizedCache, false);
    }
  }

  /** An open session and the provider it runs on ({@code CPU} or {@code CUDA:<device>}). */
  record Opened(OrtSession session, String provider) {}

  private OnnxSessions() {}

  /** Closes a session (or nothing, when null) on an error path: the error that got there is what matters. */
  static void closeQuietly(OrtSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException e) {
        LOG.debug("closing a session that failed its checks: {}", e.getMessage());
      }
    }
  }

  static Opened open(OrtEnvironment env, Settings s) throws OrtException {
    ExecutionProvider p = s.provider();
    if (p.kind() == ExecutionProvider.Kind.CPU) {
      return new Opened(openOn(env, s, false), "CPU");
    }
    Optional<String> why = s.cudaProbe().whyUnavailable();
    if (why.isPresent()) {
      return fallback(env, s, why.get(), null);
    }
    try {
      OrtSession session = openOn(env, s, true);
      LOG.info("model '{}' runs on CUDA device {}", s.name(), p.deviceId());
      return new Opened(session, "CUDA:" + p.deviceId());
    } catch (OrtException e) {
      return fallback(env, s, "ONNX Runtime could not use CUDA: " + e.getMessage(), e);
    }
  }

  private static Opened fallback(OrtEnvironment env, Settings s, String why, Exception cause) throws OrtException {
    ExecutionProvider p = s.provider();
    if (p.strict()) {
      throw new ModelLoadException("CUDA device " + p.deviceId() + " was required but " + why, cause);
    }
    if (p.kind() == ExecutionProvider.Kind.AUTO) {
      LOG.info("model '{}' runs on the CPU: {}", s.name(), why);
    } else {
      LOG.warn("CUDA device {} requested for model '{}' but {}; falling back to the CPU", p.deviceId(), s.name(), why);
    }
    return new Opened(openOn(env, s, false), "CPU");
  }

  private static OrtSession openOn(OrtEnvironment env, Settings s, boolean cuda) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      if (s.intraOpThreads() > 0) {
        options.setIntraOpNumThreads(s.intraOpThreads());
      }
      options.addConfigEntry("session.intra_op.allow_spinning", s.allowSpinning() ? "1" : "0");
      if (!s.memoryPattern()) {
        options.setMemoryPatternOptimization(false);
      }
      if (cuda) {
        options.addCUDA(s.provider().deviceId());
      }
      if (s.optimizedCache() != null) {
        OptimizedModelCache.Entry entry = OptimizedModelCache.entry(s, env, cuda ? "cuda" : "cpu");
        if (entry != null && entry.exists()) {
          options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
          try {
            return env.createSession(entry.file().toString(), options);
          } catch (OrtException e) {
            // a damaged entry (disk full, a killed writer on a file system without atomic moves): make it anew
            LOG.warn("optimised model {} unreadable ({}); optimising model '{}' again", entry.file(), e.getMessage(),
                s.name());
            entry.discard();
          }
        }
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (entry != null) {
          options.setOptimizedModelFilePath(entry.staging().toString());
          // ORT warns that a graph saved at this level may hold machine-specific kernels: the entry is keyed by
          // provider and used on this machine only, so the warning would only alarm a CLI user on the first run
          options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
          OrtSession session = createSession(env, s, options);
          entry.commit();
          return session;
        }
        return createSession(env, s, options);
      }
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      return createSession(env, s, options);
    }
  }

  private static OrtSession createSession(OrtEnvironment env, Settings s, OrtSession.SessionOptions options)
      throws OrtException {
    return s.modelPath() != null
        ? env.createSession(s.modelPath().toString(), options)
        : env.createSession(s.modelBytes(), options);
  }
}
