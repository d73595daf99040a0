package io.github.keydet.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.ExtremePointSegmenter;
import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.InstanceMask;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.Keypoint;
import io.github.keydet.core.coco.Rle;
import io.github.keydet.examples.Annotator;
import io.github.keydet.onnx.DextrSegmenter;
import io.github.keydet.onnx.ExecutionProvider;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keydet segment}: DEXTR (Deep Extreme Cut) on a user's own four extreme points, DEXTR's interactive use:
 * prints the mask's area and box, writes the image with the mask drawn ({@code --out}) and the mask as COCO RLE
 * ({@code --json}).
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
    description = "Segment one object from its 4 extreme points (x,y of the top-, left-, bottom- and right-most"
        + " points, any order, image pixels) with a DEXTR model; print the mask's area and box, write a PNG and RLE.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:mask written", "1:bad image, points, model or settings", "2:invalid command line"})
public final class SegmentCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IMAGE", description = "The image")
  Path image;

  @Option(names = "--points", required = true, split = ",", paramLabel = "x1,y1,...,x4,y4",
      description = "The 4 extreme points in image pixels (8 numbers)")
  List<Double> points;

  @Option(names = "--model", required = true, paramLabel = "FILE",
      description = "DEXTR ONNX model (tools/export/export.py --arch dextr)")
  Path model;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the image with the mask drawn (PNG)")
  Path out;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the mask as JSON (COCO RLE, area, bbox)")
  Path json;

  @Option(names = "--no-flip", description = "No flip test (DEXTR's demo; ExtremeNet averages a mirrored run)")
  boolean noFlip;

  @Option(names = "--provider", defaultValue = "auto", paramLabel = "auto|cpu|cuda[:N]",
      description = "Execution provider (default: ${DEFAULT-VALUE})")
  String provider;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
      description = "ONNX Runtime intra-op threads (0: ONNX Runtime's default)")
  int threads;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    double[] xy = points.stream().mapToDouble(Double::doubleValue).toArray();
    if (xy.length != 8) {
      throw new InvalidInputException("--points needs 8 numbers x1,y1,...,x4,y4 (4 extreme points), got " + xy.length);
    }
    List<Keypoint> pts = ExtremePointSegmenter.points(xy);
    BufferedImage im = ImageLoader.defaults().read(image);
    InstanceMask mask;
    try (DextrSegmenter seg = DextrSegmenter.builder().setModel(model).optFlipTest(!noFlip)
        .optProvider(ExecutionProvider.parse(provider)).optIntraOpThreads(threads).build()) {
      mask = seg.segment(im, pts);
    }
    int[] b = mask.bounds();
    PrintWriter w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "mask area %d pixels, box x=%d y=%d w=%d h=%d (image %dx%d)%n", mask.area(), b[0], b[1],
        b[2], b[3], im.getWidth(), im.getHeight());
    w.flush();
    if (out != null) {
      Detection d = new Detection(new BoundingBox(b[0], b[1], b[0] + b[2], b[1] + b[3]), 1f, 0, "dextr", pts,
          List.of(), null, mask);
      createParent(out);
      javax.imageio.ImageIO.write(Annotator.draw(im, List.of(d)), "png", out.toFile());
    }
    if (json != null) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("file_name", image.getFileName().toString());
      row.put("extreme_points", xy);
      row.put("area", mask.area());
      row.put("bbox", b);
      row.put("segmentation", Map.of("size", new int[] {mask.height(), mask.width()},
          "counts", Rle.of(mask.height(), mask.width(), mask.rleCounts()).toCompressedString()));
      createParent(json);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), row);
    }
    return KeyDetCli.EXIT_OK;
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
