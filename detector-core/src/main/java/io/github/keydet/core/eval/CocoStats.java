package io.github.keydet.core.eval;

/**
 * The toolkit's 12 summary numbers ({@code COCOeval.stats}); -1 where nothing could be measured.
 *
 * @param ap AP @ IoU 0.50:0.95, all areas, maxDets 100
 * @param ap50 AP @ IoU 0.50
 * @param ap75 AP @ IoU 0.75
 * @param apSmall AP for small objects (area &lt;= 32²)
 * @param apMedium AP for medium objects
 * @param apLarge AP for large objects (area &gt;= 96²)
 * @param ar1 AR with maxDets 1
 * @param ar10 AR with maxDets 10
 * @param ar100 AR with maxDets 100
 * @param arSmall AR small
 * @param arMedium AR medium
 * @param arLarge AR large
 */
public record CocoStats(
    double ap,
    double ap50,
    double ap75,
    double apSmall,
    double apMedium,
    double apLarge,
    double ar1,
    double ar10,
    double ar100,
    double arSmall,
    double arMedium,
    double arLarge) {

  /** The 12 numbers in the toolkit's order. */
  public double[] toArray() {
    return new double[] {
      ap, ap50, ap75, apSmall, apMedium, apLarge, ar1, ar10, ar100, arSmall, arMedium, arLarge
    };
  }

  /** From the 12 numbers in the toolkit's order. */
  public static CocoStats of(double[] s) {
    if (s.length != 12) {
      throw new IllegalArgumentException("12 numbers expected, got " + s.length);
    }
    return new CocoStats(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11]);
  }
}
