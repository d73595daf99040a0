package io.github.keydet.server;

import io.github.keydet.api.ModelLoadException;
import io.github.keydet.models.BundledModel;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.OnnxDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The model {@code --model NAME|FILE} names, read the way the {@code keydet} CLI reads it: a path to an existing
 * file is that file (even when a bundled model has the same name), otherwise a bundled model's name or alias,
 * otherwise a {@link ModelLoadException} naming both readings.
 *
 * @param name what {@code /v1/models} calls it: the bundled name, or the file as given
 * @param bundled the bundled model, or {@code null} for a file
 * @param file the ONNX file, or {@code null} for a bundled model
 */
public record ModelChoice(String name, BundledModel bundled, Path file) {
  /** Reads the option's value; {@code null} or blank is the default bundled model. */
  public static ModelChoice parse(String value) {
    if (value == null || value.isBlank()) {
      BundledModel m = BundledModels.defaultModel();
      return new ModelChoice(m.name(), m, null);
    }
    if (Files.exists(Path.of(value))) {
      return new ModelChoice(value, null, Path.of(value));
    }
    BundledModel m = BundledModels.find(value).orElseThrow(() -> new ModelLoadException("--model " + value
        + ": no such file, and no bundled model of that name (bundled: "
        + BundledModels.list().stream().map(BundledModel::name).collect(Collectors.joining(", ")) + ")"));
    return new ModelChoice(m.name(), m, null);
  }

  /** A detector builder with this model set. */
  public OnnxDetector.Builder builder() {
    return bundled != null ? BundledModels.builder(bundled.name()) : OnnxDetector.builder().setModel(file);
  }
}
