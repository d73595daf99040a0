package io.github.keydet.onnx;

import java.awt.image.BufferedImage;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The tiny test models of tools/testdata/make_bad_models.py. */
final class TinyModels {
  private TinyModels() {}

  static Path path(String file) {
    try {
      return Path.of(TinyModels.class.getResource("/bad/" + file).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static BufferedImage image() {
    BufferedImage im = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        im.setRGB(x, y, ((x * 6) << 16) | ((y * 8) << 8) | ((x + y) * 3));
      }
    }
    return im;
  }
}
