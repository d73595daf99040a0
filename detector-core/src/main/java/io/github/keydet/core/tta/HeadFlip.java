package io.github.keydet.core.tta;

/**
 * How the flip test merges one head: keep the original run's values, or average them with the mirrored run's
 * values at the mirrored column, {@code (a[c, y, x] + sign[c] * b[order[c], y, W-1-x]) / 2}, where {@code b} is
 * the mirror's head {@link #source()} (the head itself, or its left/right partner) and {@code order[c]} the
 * channel that plays channel c's role in the mirror. Arrays are owned by the record's creator and never changed.
 *
 * @param keepsOriginal take the original's values (sub-pixel offsets)
 * @param source the mirror's head to average with; {@code null} for the head itself
 * @param channelOrder mirror channel per channel; {@code null} for the identity
 * @param signs factor per channel applied to the mirror's value; {@code null} for all +1
 */
public record HeadFlip(boolean keepsOriginal, String source, int[] channelOrder, float[] signs) {
  private static final HeadFlip ORIGINAL = new HeadFlip(true, null, null, null);
  private static final HeadFlip AVERAGE = new HeadFlip(false, null, null, null);

  /** Keep the original run's values. */
  public static HeadFlip original() {
    return ORIGINAL;
  }

  /** Average with the mirror's same head, same channels. */
  public static HeadFlip average() {
    return AVERAGE;
  }

  /** Average with the mirror's partner head (ExtremeNet's l/r heat maps). */
  public static HeadFlip withPartner(String partner) {
    return new HeadFlip(false, partner, null, null);
  }

  /** Average with the mirror's channels in another order, optionally negated (LTRB, pose joints and offsets). */
  public static HeadFlip permuted(int[] channelOrder, float[] signs) {
    return new HeadFlip(false, null, channelOrder.clone(), signs == null ? null : signs.clone());
  }
}
