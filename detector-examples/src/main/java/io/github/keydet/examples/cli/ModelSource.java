package io.github.keydet.examples.cli;

import io.github.keydet.api.ModelLoadException;
import io.github.keydet.models.BundledModel;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.OnnxDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * What {@code --model NAME|FILE} names: an existing file wins (so a file called {@code coco} in the working
 * folder is still a file), then a bundled model's name or alias, else an error naming both readings.
 *
 * @param bundled the bundled model, or {@code null} for a file
 * @param file the ONNX file, or {@code null} for a bundled model
 */
record ModelSource(BundledModel bundled, Path file) {
  /** Parses the option value; {@code null} means the default bundled model. */
  static ModelSource parse(String value) {
    if (value == null || value.isBlank()) {
      return new ModelSource(BundledModels.defaultModel(), null);
    }
    Path path = Path.of(value);
    if (Files.exists(path)) {
      return new ModelSource(null, path);
    }
    return BundledModels.find(value).map(m -> new ModelSource(m, null)).orElseThrow(() ->
        new ModelLoadException("--model " + value + ": no such file, and no bundled model of that name (bundled: "
            + BundledModels.list().stream().map(BundledModel::name).collect(Collectors.joining(", ")) + ")"));
  }

  /** Sets the model on a detector builder. */
  void applyTo(OnnxDetector.Builder builder) {
    if (bundled != null) {
      builder.setModel(bundled.bytes(), bundled.fileName());
    } else {
      builder.setModel(file);
    }
  }

  /** The name shown to the user. */
  String displayName() {
    return bundled != null ? bundled.fileName() : file.toString();
  }
}
