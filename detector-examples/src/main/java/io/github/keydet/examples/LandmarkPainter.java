package io.github.keydet.examples;

import io.github.keydet.api.Keypoint;
import io.github.keydet.api.ModelFamily;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.util.List;

/**
 * Draws the landmarks of the Enhanced-CenterNet landmark families (coordinates in image pixels): a 300W face (68
 * points: jaw, brows, nose, eyes and lips joined as the 300W regions, the 63 {@code edges} of the upstream
 * debugger's 300W table, then every point) and DeepFashion2 clothing landmarks (the garment category's own points).
 * Unlike COCO keypoints, landmarks carry no visibility: their score is that of the nearest heat-map landmark, 0
 * without {@code hm_hp}, so every landmark is drawn, as the upstream {@code add_coco_hp} and {@code
 * add_deepfashion2_hp} draw them — except, for DEEPFASHION2, points scoring 0 while others score above 0: its
 * decoder snaps every landmark to the nearest heat-map one, and a score of 0 there is an invalid heat-map landmark
 * at (-10000, -10000) cells, which clipping puts in the image corner. Stateless.
 */
public final class LandmarkPainter {
  /** The 300W 68-point layout. */
  public static final int FACE_68 = 68;

  /** The 300W regions as [first, last, closed (1) or open (0)], 0-based: their consecutive points are joined. */
  static final int[][] FACE_REGIONS = {
    {0, 16, 0}, {17, 21, 0}, {22, 26, 0}, {27, 30, 0}, {31, 35, 0}, {36, 41, 1}, {42, 47, 1}, {48, 59, 1}, {60, 67, 1}
  };

  private static final ModelFamily LANDMARK = ModelFamily.of("LANDMARK");
  private static final ModelFamily DEEPFASHION2 = ModelFamily.of("DEEPFASHION2");

  private LandmarkPainter() {}

  /** Whether detections of this family carry landmarks that {@link #paint} draws. */
  public static boolean paints(ModelFamily family) {
    return LANDMARK.equals(family) || DEEPFASHION2.equals(family);
  }

  /**
   * Draws one detection's landmarks: for 68 points the face regions' lines in {@code color}, then each landmark as a
   * dot of {@code color} with a white rim.
   *
   * @param family LANDMARK or DEEPFASHION2
   * @param landmarks the detection's landmarks in image pixels
   * @param thickness line width in pixels
   */
  public static void paint(Graphics2D g, ModelFamily family, List<Keypoint> landmarks, Color color, float thickness) {
    if (!paints(family)) {
      throw new IllegalArgumentException("no landmarks to paint for family " + family);
    }
    boolean[] drawn = new boolean[landmarks.size()];
    boolean anyScored = landmarks.stream().anyMatch(k -> k.score() > 0);
    for (int i = 0; i < drawn.length; i++) {
      Keypoint k = landmarks.get(i);
      drawn[i] = Float.isFinite(k.x()) && Float.isFinite(k.y())
          && !(DEEPFASHION2.equals(family) && anyScored && !(k.score() > 0));
    }
    Color saved = g.getColor();
    Stroke savedStroke = g.getStroke();
    g.setColor(color);
    if (landmarks.size() == FACE_68) {
      g.setStroke(new BasicStroke(Math.max(1f, thickness / 2), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      for (int[] region : FACE_REGIONS) {
        for (int a = region[0]; a <= region[1]; a++) {
          int b = a < region[1] ? a + 1 : region[2] == 1 ? region[0] : -1;
          if (b >= 0 && drawn[a] && drawn[b]) {
            line(g, landmarks.get(a), landmarks.get(b));
          }
        }
      }
    }
    int r = Math.max(2, Math.round(thickness));
    for (int i = 0; i < drawn.length; i++) {
      if (drawn[i]) {
        int x = Math.round(landmarks.get(i).x());
        int y = Math.round(landmarks.get(i).y());
        g.setColor(Color.WHITE);
        g.fillOval(x - r - 1, y - r - 1, 2 * r + 2, 2 * r + 2);
        g.setColor(color);
        g.fillOval(x - r, y - r, 2 * r, 2 * r);
      }
    }
    g.setColor(saved);
    g.setStroke(savedStroke);
  }

  private static void line(Graphics2D g, Keypoint a, Keypoint b) {
    g.drawLine(Math.round(a.x()), Math.round(a.y()), Math.round(b.x()), Math.round(b.y()));
  }
}
