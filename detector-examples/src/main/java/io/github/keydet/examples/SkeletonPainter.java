package io.github.keydet.examples;

import io.github.keydet.api.Keypoint;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.util.List;

/**
 * Draws a COCO person skeleton: the 17 keypoints (nose, eyes, ears, shoulders, elbows, wrists, hips, knees,
 * ankles, COCO's order) and the 19 limbs of COCO's {@code skeleton} (person category of
 * {@code person_keypoints_*.json}), one colour per limb group (head, arms, torso, legs; left and right apart).
 * Keypoints scoring below the threshold are not drawn, nor the limbs that touch them. Coordinates are image pixels.
 * Stateless.
 */
public final class SkeletonPainter {
  /** Keypoints of a COCO person. */
  public static final int COCO_KEYPOINTS = 17;

  /** Keypoints scoring below this are not drawn (the default of {@code keydet detect}). */
  public static final float DEFAULT_THRESHOLD = 0.2f;

  /** COCO's person skeleton, 0-based keypoint pairs. */
  static final int[][] LIMBS = {
    {15, 13}, {13, 11}, {16, 14}, {14, 12}, {11, 12}, {5, 11}, {6, 12}, {5, 6}, {5, 7}, {6, 8}, {7, 9}, {8, 10},
    {1, 2}, {0, 1}, {0, 2}, {1, 3}, {2, 4}, {3, 5}, {4, 6}
  };

  private static final Color HEAD = new Color(255, 220, 40);
  private static final Color LEFT_ARM = new Color(40, 200, 255);
  private static final Color RIGHT_ARM = new Color(255, 90, 200);
  private static final Color TORSO = new Color(120, 255, 120);
  private static final Color LEFT_LEG = new Color(40, 110, 255);
  private static final Color RIGHT_LEG = new Color(255, 70, 60);

  private SkeletonPainter() {}

  /** Whether {@code keypoints} are a COCO person's (17), which {@link #paint} draws as a skeleton. */
  public static boolean isCocoPerson(List<Keypoint> keypoints) {
    return keypoints.size() == COCO_KEYPOINTS;
  }

  /** The colour of a limb: by the body part of its two ends. */
  static Color limbColor(int a, int b) {
    int lo = Math.min(a, b);
    int hi = Math.max(a, b);
    if (hi <= 4 || (lo <= 4 && hi <= 6)) {
      return HEAD;
    }
    if (hi <= 10 && lo >= 5 && !(lo == 5 && hi == 6)) {
      return lo % 2 == 1 ? LEFT_ARM : RIGHT_ARM;
    }
    if (hi >= 13 || (lo == 11 && hi == 13) || (lo == 12 && hi == 14)) {
      return lo % 2 == 1 ? LEFT_LEG : RIGHT_LEG;
    }
    return TORSO;
  }

  /**
   * Draws the limbs, then the keypoints, of one person.
   *
   * @param keypoints the 17 keypoints in image pixels
   * @param thickness line width in pixels
   * @param threshold keypoints scoring below it (and their limbs) are left out
   */
  public static void paint(Graphics2D g, List<Keypoint> keypoints, float thickness, float threshold) {
    if (!isCocoPerson(keypoints)) {
      throw new IllegalArgumentException("a COCO skeleton has " + COCO_KEYPOINTS + " keypoints, got "
          + keypoints.size());
    }
    Color saved = g.getColor();
    Stroke savedStroke = g.getStroke();
    g.setStroke(new BasicStroke(thickness, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    for (int[] limb : LIMBS) {
      Keypoint a = keypoints.get(limb[0]);
      Keypoint b = keypoints.get(limb[1]);
      if (a.score() >= threshold && b.score() >= threshold) {
        g.setColor(limbColor(limb[0], limb[1]));
        g.drawLine(Math.round(a.x()), Math.round(a.y()), Math.round(b.x()), Math.round(b.y()));
      }
    }
    int r = Math.max(2, Math.round(thickness * 1.2f));
    for (int j = 0; j < COCO_KEYPOINTS; j++) {
      Keypoint k = keypoints.get(j);
      if (k.score() >= threshold) {
        g.setColor(Color.WHITE);
        g.fillOval(Math.round(k.x()) - r - 1, Math.round(k.y()) - r - 1, 2 * r + 2, 2 * r + 2);
        g.setColor(j <= 4 ? HEAD : j % 2 == 1 ? LEFT_ARM : RIGHT_ARM);
        g.fillOval(Math.round(k.x()) - r, Math.round(k.y()) - r, 2 * r, 2 * r);
      }
    }
    g.setColor(saved);
    g.setStroke(savedStroke);
  }
}
