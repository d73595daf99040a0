package io.github.keydet.api;

/**
 * A model could not be loaded or does not fit its spec: unreadable file, missing output, wrong input rank,
 * unknown family, malformed metadata.
 */
public class ModelLoadException extends KeyDetException {
  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
