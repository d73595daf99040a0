package io.github.keydet.api;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an object's four extreme points (top-, left-, bottom- and right-most points, in any order) into an
 * {@link InstanceMask} of the whole image, e.g. DEXTR (Deep Extreme Cut) as ExtremeNet uses it. Points and masks
 * are in image pixels. Implementations are thread-safe.
 */
public interface ExtremePointSegmenter {

  /**
   * The mask of one object.
   *
   * @param image the image (any size)
   * @param extremePoints exactly 4 points inside the image
   * @throws InvalidInputException for a null image, not 4 points, non-finite points or points outside the image
   */
  default InstanceMask segment(BufferedImage image, List<Keypoint> extremePoints) {
    // a singleton list that may hold null, so that a null point list reaches the check and its typed exception
    return segmentAll(image, java.util.Collections.singletonList(extremePoints)).get(0);
  }

  /**
   * The masks of several objects of one image, in the order of the point lists (implementations run them through
   * the network in batches).
   */
  List<InstanceMask> segmentAll(BufferedImage image, List<List<Keypoint>> extremePoints);

  /** Convenience: points from {@code x1, y1, ..., x4, y4}. */
  static List<Keypoint> points(double... xy) {
    if (xy == null || xy.length != 8) {
      throw new InvalidInputException("extreme points need 8 numbers x1,y1,...,x4,y4, got "
          + (xy == null ? "null" : xy.length));
    }
    List<Keypoint> out = new ArrayList<>(4);
    for (int i = 0; i < 8; i += 2) {
      out.add(new Keypoint((float) xy[i], (float) xy[i + 1], 1f));
    }
    return out;
  }
}
