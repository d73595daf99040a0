package io.github.keydet.examples;

import io.github.keydet.api.Box3D;
import io.github.keydet.api.Keypoint;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.util.List;

/**
 * Draws a CenterNet "ddd" box as its wireframe in the image, as CenterNet's {@code draw_box_3d} does: the four
 * side faces of the 8 projected corners (order of {@code Box3dGeometry.corners}: bottom 0..3, top 4..7), and a
 * cross over the front face (corners 0, 1, 5, 4) so the heading shows.
 */
public final class Box3dPainter {
  /** The side faces as corner indices, front face first. */
  static final int[][] FACES = {{0, 1, 5, 4}, {1, 2, 6, 5}, {2, 3, 7, 6}, {3, 0, 4, 7}};

  private Box3dPainter() {}

  /** Whether the box has its 8 projected corners (it has none without a camera calibration). */
  public static boolean drawable(Box3D box) {
    return box != null && box.projectedCorners().size() == 8;
  }

  /** Draws the wireframe with the graphics' current colour and stroke; corners in image pixels. */
  public static void paint(Graphics2D g, Box3D box) {
    List<Keypoint> c = box.projectedCorners();
    for (int[] face : FACES) {
      for (int j = 0; j < 4; j++) {
        line(g, c.get(face[j]), c.get(face[(j + 1) % 4]));
      }
    }
    int[] front = FACES[0];
    line(g, c.get(front[0]), c.get(front[2]));
    line(g, c.get(front[1]), c.get(front[3]));
  }

  private static void line(Graphics2D g, Keypoint a, Keypoint b) {
    g.draw(new Line2D.Float(a.x(), a.y(), b.x(), b.y()));
  }
}
