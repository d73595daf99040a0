package io.github.keydet.examples;

import io.github.keydet.api.Detection;
import io.github.keydet.api.InstanceMask;
import io.github.keydet.api.Keypoint;
import io.github.keydet.api.ModelFamily;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Draws detections (masks as a semi-transparent fill, boxes or projected 3D boxes ({@link Box3dPainter}), labels
 * with scores, keypoints, COCO skeletons ({@link SkeletonPainter}) or the landmarks of the landmark families
 * ({@link LandmarkPainter}), polygons) onto a copy of an image.
 */
public final class Annotator {
  private Annotator() {}

  /** A new RGB image: the input with the detections drawn on it (keypoints as dots or COCO skeletons). */
  public static BufferedImage draw(BufferedImage image, List<Detection> detections) {
    return draw(image, detections, null);
  }

  /**
   * A new RGB image: the input with the detections of a model of {@code family} drawn on it; LANDMARK and
   * DEEPFASHION2 detections get their landmarks drawn by {@link LandmarkPainter} (every landmark, whatever its
   * score), others keypoints scoring above 0.1 or a COCO skeleton.
   *
   * @param family the model's family, or {@code null} when unknown
   */
  public static BufferedImage draw(BufferedImage image, List<Detection> detections, ModelFamily family) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      float thickness = Math.max(2f, Math.min(image.getWidth(), image.getHeight()) / 250f);
      g.setStroke(new BasicStroke(thickness));
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, Math.round(thickness * 6))));
      FontMetrics fm = g.getFontMetrics();
      for (int i = detections.size() - 1; i >= 0; i--) {
        Detection d = detections.get(i);
        Color color = colorOf(d.classId());
        d.optMask().ifPresent(m -> fillMask(out, m, color));
        g.setColor(color);
        int x1 = Math.round(d.box().x1());
        int y1 = Math.round(d.box().y1());
        int w = Math.round(d.box().width());
        int h = Math.round(d.box().height());
        if (Box3dPainter.drawable(d.box3d())) {
          Box3dPainter.paint(g, d.box3d()); // a ddd model's box: its projected wireframe instead of the 2D box
        } else {
          g.drawRect(x1, y1, w, h);
        }
        if (!d.polygon().isEmpty()) {
          Path2D.Float p = new Path2D.Float();
          List<Keypoint> poly = d.polygon();
          p.moveTo(poly.get(0).x(), poly.get(0).y());
          for (int j = 1; j < poly.size(); j++) {
            p.lineTo(poly.get(j).x(), poly.get(j).y());
          }
          p.closePath();
          g.draw(p);
        }
        int r = Math.round(thickness * 1.5f);
        if (LandmarkPainter.paints(family)) {
          LandmarkPainter.paint(g, family, d.keypoints(), color, thickness);
        } else if (SkeletonPainter.isCocoPerson(d.keypoints())) {
          SkeletonPainter.paint(g, d.keypoints(), thickness, SkeletonPainter.DEFAULT_THRESHOLD);
          g.setColor(color);
        } else {
          for (Keypoint k : d.keypoints()) {
            if (k.score() > 0.1f) {
              g.fillOval(Math.round(k.x()) - r, Math.round(k.y()) - r, 2 * r, 2 * r);
            }
          }
        }
        String text = String.format(Locale.ROOT, "%s %.2f", d.label(), d.score());
        int tw = fm.stringWidth(text) + 6;
        int th = fm.getHeight();
        int ty = y1 - th >= 0 ? y1 - th : y1;
        g.fillRect(x1, ty, tw, th);
        g.setColor(luminance(color) > 140 ? Color.BLACK : Color.WHITE);
        g.drawString(text, x1 + 3, ty + fm.getAscent());
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Blends the mask's pixels 50 % towards the colour (a semi-transparent fill). */
  private static void fillMask(BufferedImage out, InstanceMask m, Color color) {
    int[] b = m.bounds();
    for (int y = b[1]; y < Math.min(out.getHeight(), b[1] + b[3]); y++) {
      for (int x = b[0]; x < Math.min(out.getWidth(), b[0] + b[2]); x++) {
        if (m.get(x, y)) {
          int p = out.getRGB(x, y);
          int r = (((p >> 16) & 0xff) + color.getRed()) / 2;
          int gr = (((p >> 8) & 0xff) + color.getGreen()) / 2;
          int bl = ((p & 0xff) + color.getBlue()) / 2;
          out.setRGB(x, y, (r << 16) | (gr << 8) | bl);
        }
      }
    }
  }

  /** The colour of a class's boxes, labels and heat map (golden-ratio hues, so neighbouring ids differ). */
  public static Color colorOf(int classId) {
    float hue = (classId * 0.61803398875f) % 1f;
    return Color.getHSBColor(hue, 0.85f, 0.95f);
  }

  private static double luminance(Color c) {
    return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
  }
}
