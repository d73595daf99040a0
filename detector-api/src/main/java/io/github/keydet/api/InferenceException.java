package io.github.keydet.api;

/** The inference engine failed while running a model that had loaded correctly. */
public class InferenceException extends KeyDetException {
  private static final long serialVersionUID = 1L;

  public InferenceException(String message) {
    super(message);
  }

  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
