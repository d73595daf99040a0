package io.github.keydet.core.family;

import java.util.function.IntPredicate;

/**
 * One head of a family, as its {@code opts.py}-style table declares it: canonical name, whether decoding needs
 * it, how many channels it must have, and whether it is a heat map (so that the flip test applies the sigmoid to
 * it and a model's label count is checked against it).
 *
 * @param name canonical name (the ONNX output name unless the model spec maps it)
 * @param required whether decoding fails without it
 * @param channels the channel counts it may have (checked against a model's outputs when it is loaded)
 * @param heatmap whether it is a heat map (logits or probabilities, as the spec says)
 */
public record HeadSpec(String name, boolean required, Channels channels, boolean heatmap) {

  /**
   * The channel counts a head may have.
   *
   * @param description what is expected, for messages ("80", "2 or 160", "an even number")
   * @param accepts whether a count is acceptable
   */
  public record Channels(String description, IntPredicate accepts) {
    /** Any channel count (e.g. a heat map of a model whose classes are not known). */
    public static Channels any() {
      return new Channels("any number", c -> c > 0);
    }

    /** Exactly {@code n} channels. */
    public static Channels exactly(int n) {
      return new Channels(Integer.toString(n), c -> c == n);
    }

    /** {@code n} channels, or any when {@code n <= 0} (unknown). */
    public static Channels exactlyIfKnown(int n) {
      return n > 0 ? exactly(n) : any();
    }

    /** Either count; {@code b <= 0} (unknown) accepts {@code a} or any multiple of {@code a}. */
    public static Channels eitherOf(int a, int b) {
      return b > 0 ? new Channels(a + " or " + b, c -> c == a || c == b)
          : new Channels(a + " or a multiple of " + a, c -> c > 0 && c % a == 0);
    }
  }

  /** A required head that is not a heat map. */
  public static HeadSpec required(String name, Channels channels) {
    return new HeadSpec(name, true, channels, false);
  }

  /** An optional head that is not a heat map. */
  public static HeadSpec optional(String name, Channels channels) {
    return new HeadSpec(name, false, channels, false);
  }

  /** A required heat map. */
  public static HeadSpec heatmap(String name, Channels channels) {
    return new HeadSpec(name, true, channels, true);
  }

  /** An optional heat map. */
  public static HeadSpec optionalHeatmap(String name, Channels channels) {
    return new HeadSpec(name, false, channels, true);
  }

  /** Whether {@code count} channels fit this head. */
  public boolean acceptsChannels(int count) {
    return channels.accepts().test(count);
  }
}
