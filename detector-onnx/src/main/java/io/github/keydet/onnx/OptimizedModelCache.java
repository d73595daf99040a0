package io.github.keydet.onnx;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of {@link OnnxDetector.Builder#optOptimizedModelCache}: one ONNX file per (model SHA-256, ONNX Runtime
 * version, provider), written by ONNX Runtime ({@code setOptimizedModelFilePath}) under a temporary name and
 * moved into place in one step, so that concurrent builders never read a half-written graph. The saved graph keeps
 * the model's metadata (the KeyDet spec).
 */
final class OptimizedModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxDetector.class);

  /** Where one model's optimised graph lives, and the temporary file ONNX Runtime writes first. */
  record Entry(Path file, Path staging) {
    boolean exists() {
      return Files.isRegularFile(file);
    }

    /** Deletes a damaged entry. */
    void discard() {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.debug("could not delete {}: {}", file, e.getMessage());
      }
    }

    /** Moves what ONNX Runtime wrote into place; a failure only costs the next build its speed-up. */
    void commit() {
      try {
        if (Files.isRegularFile(staging)) {
          Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        LOG.warn("could not save the optimised model to {}: {}", file, e.getMessage());
      } finally {
        try {
          Files.deleteIfExists(staging);
        } catch (IOException e) {
          LOG.debug("could not delete {}: {}", staging, e.getMessage());
        }
      }
    }
  }

  private OptimizedModelCache() {}

  /** The entry for a model, or {@code null} (with a warning) when the folder cannot be used. */
  static Entry entry(OnnxSessions.Settings s, OrtEnvironment env, String provider) {
    try {
      Files.createDirectories(s.optimizedCache());
      String key = sha256(s) + "-ort" + env.getVersion() + "-" + provider;
      Path file = s.optimizedCache().resolve(key + ".onnx");
      Path staging = s.optimizedCache().resolve(key + "." + ProcessHandle.current().pid() + "."
          + Thread.currentThread().getId() + ".tmp");
      return new Entry(file, staging);
    } catch (IOException e) {
      LOG.warn("optimised-model cache {} not usable ({}); loading model '{}' without it",
          s.optimizedCache(), e.getMessage(), s.name());
      return null;
    }
  }

  private static String sha256(OnnxSessions.Settings s) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
    if (s.modelBytes() != null) {
      md.update(s.modelBytes());
    } else {
      try (InputStream in = new DigestInputStream(Files.newInputStream(s.modelPath()), md)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
