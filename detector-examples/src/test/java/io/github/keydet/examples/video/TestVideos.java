package io.github.keydet.examples.video;

import io.github.keydet.api.ImageInputs;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Short videos made from the sample images, for tests (paths relative to the detector-examples module). */
public final class TestVideos {
  /** The samples in the order the test video shows them. */
  public static final List<String> SAMPLES = List.of("astronaut", "coffee", "chelsea");
  /** Frames of each sample in a row. */
  public static final int FRAMES_PER_SAMPLE = 3;
  public static final int WIDTH = 512;
  public static final int HEIGHT = 384;
  public static final double FPS = 5;

  private TestVideos() {}

  /** The frames: each sample scaled to fit a 512x384 black canvas, centred, {@link #FRAMES_PER_SAMPLE} times. */
  public static List<BufferedImage> frames() {
    List<BufferedImage> out = new ArrayList<>();
    for (String name : SAMPLES) {
      BufferedImage img = ImageInputs.read(Path.of("samples", name + ".png"));
      double s = Math.min(WIDTH / (double) img.getWidth(), HEIGHT / (double) img.getHeight());
      int w = (int) Math.round(img.getWidth() * s);
      int h = (int) Math.round(img.getHeight() * s);
      BufferedImage frame = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = frame.createGraphics();
      g.setColor(Color.BLACK);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(img, (WIDTH - w) / 2, (HEIGHT - h) / 2, w, h, null);
      g.dispose();
      for (int i = 0; i < FRAMES_PER_SAMPLE; i++) {
        out.add(frame);
      }
    }
    return out;
  }

  /** Writes {@link #frames()} as an MP4 at {@link #FPS}. */
  public static Path write(Path file) throws IOException {
    try (VideoWriter w = VideoWriter.create(file, FPS)) {
      for (BufferedImage f : frames()) {
        w.write(f);
      }
    }
    return file;
  }

  /** Mean absolute difference per channel value between two images of the same size. */
  public static double meanAbsDiff(BufferedImage a, BufferedImage b) {
    long sum = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int k = 0; k < 24; k += 8) {
          sum += Math.abs(((p >> k) & 0xff) - ((q >> k) & 0xff));
        }
      }
    }
    return sum / (3.0 * a.getWidth() * a.getHeight());
  }
}
