package io.github.keydet.models;

import io.github.keydet.api.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One trained model shipped in the {@code detector-models} jar: an ONNX file whose KeyDet model spec (family,
 * labels, input size, normalisation) is written into its metadata, so it loads with no configuration.
 *
 * @param name the name to load it by, e.g. {@code "coco"}
 * @param aliases other names accepted for it (lower case)
 * @param fileName the ONNX file's name, shown as the model's display name
 * @param description what it detects, its architecture and input
 * @param licence the licence of the weights (SPDX id, e.g. {@code "MIT"})
 */
public record BundledModel(String name, List<String> aliases, String fileName, String description, String licence) {
  private static final String DIR = "/io/github/keydet/models/";

  /** Validation and defensive copies. */
  public BundledModel {
    if (name == null || name.isBlank() || fileName == null || fileName.isBlank()) {
      throw new IllegalArgumentException("a bundled model needs a name and a file name");
    }
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
  }

  /** The ONNX bytes, read from the classpath (about the file's size on the heap). */
  public byte[] bytes() {
    return read(fileName);
  }

  /** The full licence notice shipped beside the model: origin, conversion commands and licence text. */
  public String licenceNotice() {
    return new String(read(noticeFileName()), StandardCharsets.UTF_8);
  }

  /** The classpath resource of the licence notice. */
  public String noticeFileName() {
    return "LICENSE-" + name + ".md";
  }

  /** Whether {@code query} (case-insensitive) is this model's name or one of its aliases. */
  public boolean answersTo(String query) {
    String q = query.trim().toLowerCase(java.util.Locale.ROOT);
    return name.equals(q) || aliases.contains(q);
  }

  private static byte[] read(String file) {
    try (InputStream in = BundledModel.class.getResourceAsStream(DIR + file)) {
      if (in == null) {
        throw new ModelLoadException("bundled model file " + DIR + file + " is not on the classpath"
            + " (is the detector-models jar complete?)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ModelLoadException("cannot read bundled model file " + DIR + file + ": " + e.getMessage(), e);
    }
  }
}
