package io.github.keydet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Box3D;
import io.github.keydet.api.Detection;
import io.github.keydet.api.Keypoint;
import io.github.keydet.core.geometry3d.Box3dGeometry;
import io.github.keydet.core.geometry3d.CameraCalibration;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A car 10 m ahead, turned 30 degrees, projected with KITTI's default calibration (core.geometry3d), drawn on a
 * black KITTI-sized image: every edge of the four side faces and the front face's cross is in the class colour
 * along its length, the back face's centre is not, and the 2D box is not drawn.
 */
class Box3dPainterTest {
  @Test
  void drawsTheProjectedWireframe() {
    CameraCalibration calib = CameraCalibration.kittiDefault();
    double[] corners3d = Box3dGeometry.corners(1.5, 1.6, 3.9, new double[] {1.0, 1.6, 10.0}, Math.toRadians(30));
    double[] uv = Box3dGeometry.project(corners3d, calib);
    List<Keypoint> corners = new ArrayList<>();
    float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = 0, maxY = 0;
    for (int i = 0; i < 8; i++) {
      corners.add(new Keypoint((float) uv[2 * i], (float) uv[2 * i + 1], 1f));
      minX = Math.min(minX, (float) uv[2 * i]);
      maxX = Math.max(maxX, (float) uv[2 * i]);
      minY = Math.min(minY, (float) uv[2 * i + 1]);
      maxY = Math.max(maxY, (float) uv[2 * i + 1]);
    }
    assertThat(minX).isGreaterThan(0f);
    assertThat(maxX).isLessThan(1242f);
    Box3D box = new Box3D(10f, 1.5f, 1.6f, 3.9f, 0f, (float) Math.toRadians(30), List.of(1f, 1.6f, 10f), corners);
    Detection car = new Detection(new BoundingBox(minX - 20, minY - 20, maxX + 20, maxY + 20), 0.9f, 2, "car",
        List.of(), List.of(), box);
    BufferedImage drawn = Annotator.draw(new BufferedImage(1242, 375, BufferedImage.TYPE_INT_RGB), List.of(car));
    Color c = Annotator.colorOf(2);

    List<int[]> edges = new ArrayList<>();
    for (int[] face : Box3dPainter.FACES) {
      for (int j = 0; j < 4; j++) {
        edges.add(new int[] {face[j], face[(j + 1) % 4]});
      }
    }
    edges.add(new int[] {0, 5});
    edges.add(new int[] {1, 4});
    for (int[] e : edges) {
      for (double t : new double[] {0.25, 0.5, 0.75}) {
        float x = (float) (uv[2 * e[0]] + t * (uv[2 * e[1]] - uv[2 * e[0]]));
        float y = (float) (uv[2 * e[0] + 1] + t * (uv[2 * e[1] + 1] - uv[2 * e[0] + 1]));
        assertThat(near(drawn, Math.round(x), Math.round(y), c)).as("edge %d-%d at %.2f (%.1f, %.1f)", e[0], e[1], t,
            x, y).isTrue();
      }
    }
    // the back face's centre (corners 2, 3, 7, 6) lies on no edge
    float bx = (float) ((uv[4] + uv[6] + uv[14] + uv[12]) / 4);
    float by = (float) ((uv[5] + uv[7] + uv[15] + uv[13]) / 4);
    assertThat(drawn.getRGB(Math.round(bx), Math.round(by)) & 0xffffff).isZero();
    // no 2D rectangle: its bottom-left corner (no label there) is black
    assertThat(drawn.getRGB(Math.round(minX - 20), Math.round(maxY + 20)) & 0xffffff).isZero();
  }

  /** Whether a pixel within 1 of (x, y) has the colour (antialiased strokes blend at their borders). */
  private static boolean near(BufferedImage im, int x, int y, Color c) {
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int p = im.getRGB(x + dx, y + dy);
        if (Math.abs(((p >> 16) & 0xff) - c.getRed()) <= 6 && Math.abs(((p >> 8) & 0xff) - c.getGreen()) <= 6
            && Math.abs((p & 0xff) - c.getBlue()) <= 6) {
          return true;
        }
      }
    }
    return false;
  }
}
