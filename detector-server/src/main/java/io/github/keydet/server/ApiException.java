package io.github.keydet.server;

import io.github.keydet.api.KeyDetException;

/**
 * A request the service answers with an error status and a JSON body {@code {"error": {"status", "code",
 * "message"}}}: bad input (4xx), an overloaded or stopping service (503 with {@code Retry-After}). Thrown by the
 * request handling code and turned into the response in one place ({@link DetectionServer}).
 */
public final class ApiException extends KeyDetException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final long retryAfterSeconds;

  /**
   * @param status the HTTP status, e.g. 400
   * @param code a stable machine-readable code, e.g. {@code "invalid_image"}
   * @param message what was wrong, for a person
   * @param retryAfterSeconds the {@code Retry-After} value, or 0 for none
   */
  public ApiException(int status, String code, String message, long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 400 with the given code. */
  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message, 0);
  }

  /** 413: a request body or an image above a limit. */
  public static ApiException tooLarge(String code, String message) {
    return new ApiException(413, code, message, 0);
  }

  /** 503 with a {@code Retry-After}: full, timed out or stopping. */
  public static ApiException unavailable(String code, String message, long retryAfterSeconds) {
    return new ApiException(503, code, message, Math.max(1, retryAfterSeconds));
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Seconds for the {@code Retry-After} header; 0 when the response has none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
