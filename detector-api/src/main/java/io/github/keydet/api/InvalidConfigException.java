package io.github.keydet.api;

/** A setting out of its range (K &lt;= 0, a threshold outside [0, 1], a kernel that is not odd...). */
public class InvalidConfigException extends KeyDetException {
  private static final long serialVersionUID = 1L;

  public InvalidConfigException(String message) {
    super(message);
  }

  /**
   * The builders' one null rule: an object-valued option given {@code null} fails at once, naming the option
   * (options where null means something say so in their Javadoc and do not call this).
   *
   * @param value the value given
   * @param option the setter's name, e.g. {@code optSoftNms}
   * @return {@code value}
   * @throws InvalidConfigException when {@code value} is null
   */
  public static <T> T requireOption(T value, String option) {
    if (value == null) {
      throw new InvalidConfigException(option + " must not be null");
    }
    return value;
  }
}
