package io.github.keydet.examples.viewer;

import io.github.keydet.models.BundledModel;
import io.github.keydet.onnx.OnnxDetector;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model the user picked: a bundled one ({@code detector-models}) or an ONNX file.
 *
 * @param bundled the bundled model, or {@code null} for a file
 * @param file the ONNX file, or {@code null} for a bundled model
 */
public record ModelChoice(BundledModel bundled, Path file) {
  /** Exactly one of the two. */
  public ModelChoice {
    if ((bundled == null) == (file == null)) {
      throw new IllegalArgumentException("a model choice is a bundled model or a file, not both or neither");
    }
  }

  /** A bundled model. */
  public static ModelChoice of(BundledModel bundled) {
    return new ModelChoice(Objects.requireNonNull(bundled, "bundled"), null);
  }

  /** An ONNX file. */
  public static ModelChoice of(Path file) {
    return new ModelChoice(null, Objects.requireNonNull(file, "file"));
  }

  /** Sets this model on a detector builder (replacing any model set before). */
  public OnnxDetector.Builder applyTo(OnnxDetector.Builder builder) {
    return bundled != null ? builder.setModel(bundled.bytes(), bundled.fileName()) : builder.setModel(file);
  }

  /** The name shown in the model list. */
  public String displayName() {
    return bundled != null ? bundled.name() : String.valueOf(file.getFileName());
  }
}
