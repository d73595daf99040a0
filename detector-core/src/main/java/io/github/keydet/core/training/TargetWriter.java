package io.github.keydet.core.training;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoImage;
import io.github.keydet.core.coco.CocoObjects;
import io.github.keydet.core.image.AffineTransform;
import io.github.keydet.core.encode.TargetArrays;
import io.github.keydet.core.encode.TargetEncoder;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetOptions;
import io.github.keydet.core.encode.TargetSet;
import io.github.keydet.core.family.DetectorFamily;
import io.github.keydet.core.family.Families;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one sample's training targets for inspection: every target as {@code <name>.npy} ({@link
 * Nd4j#writeAsNumpy}: float32, int64 and uint8 as numpy reads them) and every heatmap target ({@code [C, H, W]}
 * float over the output map) as {@code <name>.png}, the maximum over channels blended over the image as the network
 * input sees it. The work behind the {@code keydet targets} command. Stateless.
 */
public final class TargetWriter {
  private static final Logger LOG = LoggerFactory.getLogger(TargetWriter.class);

  private TargetWriter() {}

  /**
   * What was written.
   *
   * @param npyFiles the {@code .npy} files, in target order
   * @param pngFiles the overlay PNGs
   * @param numObjects annotations of the image
   */
  public record Written(List<Path> npyFiles, List<Path> pngFiles, int numObjects) {}

  /**
   * The geometry the original test-time crop uses for an image of {@code width x height}, as the family declares
   * it ({@link DetectorFamily#targetGeometry}): center = image center, scale = max(width, height); CenterNet
   * families 512x512 input, stride 4; CornerNet, Triplets and ExtremeNet 511x511 input, 128x128 output.
   */
  public static TargetGeometry defaultGeometry(ModelFamily family, int width, int height) {
    return geometry(family, width, height, TargetOptions.defaults());
  }

  /** The family's target geometry for an image of {@code width x height} with these options. */
  public static TargetGeometry geometry(ModelFamily family, int width, int height, TargetOptions options) {
    if (width <= 0 || height <= 0) {
      throw new InvalidInputException("image size must be positive, got " + width + "x" + height);
    }
    return Families.of(family).targetGeometry(width, height, options);
  }

  /**
   * Encodes image {@code imageId} of {@code dataset} for {@code family} and writes its targets into {@code outDir}.
   *
   * @param numClasses C, or {@code <= 0} for the number of categories in the file
   * @param imageDir folder with the image files for the overlays, or null (overlays on black)
   */
  public static Written write(
      CocoDataset dataset, long imageId, ModelFamily family, int numClasses, Path imageDir, Path outDir) {
    return write(dataset, imageId, family, numClasses, TargetOptions.defaults(), imageDir, outDir);
  }

  /**
   * As {@link #write(CocoDataset, long, ModelFamily, int, Path, Path)}, with target settings beyond the family's
   * defaults (input size, {@code keep_res}, MSRA heat maps, dense or category-specific wh, radius rule, slots).
   *
   * @throws io.github.keydet.api.InvalidConfigException for a setting the family has no use for
   */
  public static Written write(CocoDataset dataset, long imageId, ModelFamily family, int numClasses,
      TargetOptions options, Path imageDir, Path outDir) {
    CocoImage info = dataset.image(imageId);
    BufferedImage image = null;
    if (imageDir != null) {
      Path f = imageDir.resolve(info.fileName());
      try {
        image = ImageIO.read(f.toFile());
      } catch (IOException e) {
        throw new InvalidInputException("cannot read image " + f + ": " + e.getMessage(), e);
      }
      if (image == null) {
        throw new InvalidInputException("no image reader for " + f);
      }
    }
    int w = image != null ? image.getWidth() : info.width();
    int h = image != null ? image.getHeight() : info.height();
    DetectorFamily fam = Families.of(family);
    TargetGeometry g = geometry(family, w, h, options);
    int c = numClasses > 0 ? numClasses : Math.max(1, dataset.categories().size());
    TargetEncoder enc = fam.encoder(g, c, options);
    var objects = CocoObjects.objects(dataset, imageId, fam::annotation);
    try (TargetSet t = enc.encode(objects)) {
      List<Path> npy = writeNpy(t, outDir);
      List<Path> png = writeOverlays(t, g, image, outDir);
      LOG.info("image {}: {} objects, wrote {} .npy and {} .png to {}", imageId, objects.size(), npy.size(),
          png.size(), outDir);
      return new Written(npy, png, objects.size());
    }
  }

  /** Writes every target as {@code <name>.npy} into {@code dir} (created if missing). */
  public static List<Path> writeNpy(TargetSet targets, Path dir) {
    List<Path> files = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, INDArray> e : targets.asMap().entrySet()) {
        Path f = dir.resolve(e.getKey() + ".npy");
        Nd4j.writeAsNumpy(e.getValue(), f.toFile());
        files.add(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write targets to " + dir, e);
    }
    return files;
  }

  /**
   * Writes {@code <name>.png} for every FLOAT target of shape {@code [C, outH, outW]}: the network input ({@code
   * inputWidth x inputHeight}, the image mapped through {@code imageToInput}, nearest pixel) blended with the
   * channel maximum of the heatmap in red-yellow.
   *
   * @param image the source image, or null for a black background
   */
  public static List<Path> writeOverlays(TargetSet targets, TargetGeometry g, BufferedImage image, Path dir) {
    int iw = g.inputWidth();
    int ih = g.inputHeight();
    int ow = g.outputWidth();
    int oh = g.outputHeight();
    int[] base = new int[iw * ih];
    if (image != null) {
      AffineTransform inv = g.imageToInput().inverse();
      for (int y = 0; y < ih; y++) {
        for (int x = 0; x < iw; x++) {
          int sx = (int) Math.floor(inv.applyX(x + 0.5f, y + 0.5f));
          int sy = (int) Math.floor(inv.applyY(x + 0.5f, y + 0.5f));
          if (sx >= 0 && sy >= 0 && sx < image.getWidth() && sy < image.getHeight()) {
            base[y * iw + x] = image.getRGB(sx, sy) & 0xffffff;
          }
        }
      }
    }
    List<Path> files = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, INDArray> e : targets.asMap().entrySet()) {
        INDArray a = e.getValue();
        long[] s = a.shape();
        if (a.dataType() != DataType.FLOAT || s.length != 3 || s[1] != oh || s[2] != ow) {
          continue;
        }
        float[] heat = new float[oh * ow];
        FloatBuffer fb = TargetArrays.readFloats(a);
        for (int ch = 0; ch < s[0]; ch++) {
          for (int i = 0; i < heat.length; i++) {
            heat[i] = Math.max(heat[i], fb.get(ch * heat.length + i));
          }
        }
        BufferedImage out = new BufferedImage(iw, ih, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < ih; y++) {
          int cy = Math.min(oh - 1, (int) ((long) y * oh / ih));
          for (int x = 0; x < iw; x++) {
            int cx = Math.min(ow - 1, (int) ((long) x * ow / iw));
            float v = Math.max(0f, Math.min(1f, heat[cy * ow + cx]));
            int p = base[y * iw + x];
            int r = blend((p >> 16) & 0xff, 255, v);
            int gg = blend((p >> 8) & 0xff, (int) (255 * v), v);
            int b = blend(p & 0xff, 0, v);
            out.setRGB(x, y, (r << 16) | (gg << 8) | b);
          }
        }
        Path f = dir.resolve(e.getKey() + ".png");
        ImageIO.write(out, "png", f.toFile());
        files.add(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write overlays to " + dir, e);
    }
    return files;
  }

  private static int blend(int base, int color, float alpha) {
    return Math.round(base * (1 - alpha) + color * alpha);
  }
}
