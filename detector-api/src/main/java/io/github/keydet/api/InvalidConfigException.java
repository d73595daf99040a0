package io.github.keydet.api;

/** A setting out of its range (K &lt;= 0, a threshold outside [0, 1], a kernel that is not odd...). */
public class InvalidConfigException extends KeyDetException {
  private static final long serialVersionUID = 1L;

  public InvalidConfigException(String message) {
    super(message);
  }
}
