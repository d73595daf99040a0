package io.github.keydet.api;

/**
 * Input data that cannot be processed: an unreadable, empty or unsupported image, a tensor of the wrong shape,
 * NaN scores in a heatmap, annotations that do not parse.
 */
public class InvalidInputException extends KeyDetException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
