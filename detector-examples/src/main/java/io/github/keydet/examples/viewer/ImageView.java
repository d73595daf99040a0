package io.github.keydet.examples.viewer;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import javax.swing.JComponent;

/**
 * Paints a picture scaled to fit the component (never enlarged above 1:1, aspect kept, centred). Picture pixel
 * (x, y) is drawn at component point {@link #toComponent(double, double)}. Event thread only.
 */
public final class ImageView extends JComponent {
  private BufferedImage picture;

  ImageView() {
    setPreferredSize(new Dimension(800, 600));
    setOpaque(true);
    setBackground(new Color(0x2b2b2b));
  }

  /** Shows a picture ({@code null} clears). */
  public void setPicture(BufferedImage p) {
    picture = p;
    repaint();
  }

  /** The picture shown, or {@code null}. */
  public BufferedImage picture() {
    return picture;
  }

  /** Component pixels per picture pixel (1 when the picture fits). */
  public double scale() {
    if (picture == null) {
      return 1;
    }
    return Math.min(1.0, Math.min(getWidth() / (double) picture.getWidth(), getHeight() / (double) picture.getHeight()));
  }

  /** Where picture pixel (x, y) is drawn, in component coordinates. */
  public Point2D toComponent(double x, double y) {
    double s = scale();
    double ox = picture == null ? 0 : Math.floor((getWidth() - picture.getWidth() * s) / 2);
    double oy = picture == null ? 0 : Math.floor((getHeight() - picture.getHeight() * s) / 2);
    return new Point2D.Double(ox + x * s, oy + y * s);
  }

  @Override
  protected void paintComponent(Graphics g) {
    g.setColor(getBackground());
    g.fillRect(0, 0, getWidth(), getHeight());
    if (picture == null) {
      return;
    }
    Graphics2D g2 = (Graphics2D) g.create();
    try {
      double s = scale();
      if (s < 1) {
        g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      }
      Point2D o = toComponent(0, 0);
      g2.drawImage(picture, (int) o.getX(), (int) o.getY(), (int) Math.round(picture.getWidth() * s),
          (int) Math.round(picture.getHeight() * s), null);
    } finally {
      g2.dispose();
    }
  }
}
