package io.github.keydet.api;

/** Base type of every exception KeyDet throws on purpose. Unchecked, so detectors compose with lambdas. */
public class KeyDetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KeyDetException(String message) {
    super(message);
  }

  public KeyDetException(String message, Throwable cause) {
    super(message, cause);
  }
}
