package io.github.keydet.core.eval;

/**
 * The toolkit's 10 keypoint summary numbers ({@code COCOeval.stats} for {@code iouType='keypoints'}), all with
 * maxDets 20 and OKS in place of IoU; -1 where nothing could be measured. There is no "small" range: keypoints
 * are not labelled on people smaller than 32² pixels.
 *
 * @param ap AP @ OKS 0.50:0.95, all areas
 * @param ap50 AP @ OKS 0.50
 * @param ap75 AP @ OKS 0.75
 * @param apMedium AP for medium objects (32² &lt;= area &lt;= 96²)
 * @param apLarge AP for large objects (area &gt;= 96²)
 * @param ar AR @ OKS 0.50:0.95
 * @param ar50 AR @ OKS 0.50
 * @param ar75 AR @ OKS 0.75
 * @param arMedium AR medium
 * @param arLarge AR large
 */
public record KeypointStats(
    double ap,
    double ap50,
    double ap75,
    double apMedium,
    double apLarge,
    double ar,
    double ar50,
    double ar75,
    double arMedium,
    double arLarge) {

  /** The 10 numbers in the toolkit's order. */
  public double[] toArray() {
    return new double[] {ap, ap50, ap75, apMedium, apLarge, ar, ar50, ar75, arMedium, arLarge};
  }

  /** From the 10 numbers in the toolkit's order. */
  public static KeypointStats of(double[] s) {
    if (s.length != 10) {
      throw new IllegalArgumentException("10 numbers expected, got " + s.length);
    }
    return new KeypointStats(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]);
  }
}
