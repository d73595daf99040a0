package io.github.keydet.examples.cli;

import io.github.keydet.api.KeyDetException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoJson;
import io.github.keydet.core.encode.RadiusRule;
import io.github.keydet.core.encode.TargetOptions;
import io.github.keydet.core.training.TargetWriter;
import io.github.keydet.core.family.Families;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keydet targets <annotations.json> <image-id> --family F --out DIR}: writes one COCO image's training targets
 * as {@code .npy} files and heatmap overlay PNGs. A thin wrapper around {@link TargetWriter#write}; registered as a
 * subcommand by the main program.
 */
@Command(
    name = "targets",
    mixinStandardHelpOptions = true,
    description = "Write the training targets of one COCO image (.npy tensors and heatmap overlay PNGs).")
public final class TargetsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<annotations.json>", description = "COCO instances_*.json file.")
  Path annotations;

  @Parameters(index = "1", paramLabel = "<image-id>", description = "COCO image id.")
  long imageId;

  @Option(names = "--family", required = true, converter = FamilyConverter.class,
      completionCandidates = FamilyDecodeOptions.FamilyIds.class,
      description = "Model family (case-insensitive): ${COMPLETION-CANDIDATES}.")
  ModelFamily family;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--images", paramLabel = "DIR",
      description = "Folder with the image files, for the overlays (default: overlays on black).")
  Path images;

  @Option(names = "--classes", defaultValue = "0",
      description = "Number of classes (default: the number of categories in the file).")
  int classes;

  @Option(names = "--input-size", paramLabel = "W[xH]",
      description = "Network input size (CenterNet's --input_res / --input_w --input_h). Default: the family's"
          + " (512; 511 for CORNERNET, CENTERNET_TRIPLETS and EXTREMENET, whose output is (W + 1) / 4).")
  String inputSize;

  @Option(names = "--keep-res", description = "CenterNet's --keep_res: the input is the image padded up to a"
      + " multiple of 32, unscaled.")
  boolean keepRes;

  @Option(names = "--mse-loss", description = "CenterNet's --mse_loss: MSRA Gaussians of fixed sigma --hm-gauss"
      + " (CENTERNET).")
  boolean mseLoss;

  @Option(names = "--hm-gauss", defaultValue = "4", description = "Sigma of the MSRA Gaussians. Default: ${DEFAULT-VALUE}.")
  int hmGauss;

  @Option(names = "--dense-wh", description = "CenterNet's --dense_wh: size targets over the Gaussian (CENTERNET).")
  boolean denseWh;

  @Option(names = "--cat-spec-wh", description = "CenterNet's --cat_spec_wh: one size pair per class (CENTERNET).")
  boolean catSpecWh;

  @Option(names = "--radius-rule", paramLabel = "RULE", description = "Gaussian radius rule: ${COMPLETION-CANDIDATES}."
      + " Default: PLUS_ROOT_OVER_TWO (CenterNet's, CornerNet's and ExtremeNet's code).")
  RadiusRule radiusRule;

  @Option(names = {"--max-objs", "--max-objects"}, defaultValue = "0", paramLabel = "N",
      description = "Object slots (CenterNet's max_objs). Default: the family's (128; ddd 50; multi_pose 32).")
  int maxObjects;

  @Option(names = "--point-flags", split = ",", paramLabel = "F[,F...]",
      description = "GRIDNEIGHBOR: the point flags (Enhanced-CenterNet's --point_flags), grid cells 0..8 row-major"
          + " over the box. Default: 0,4,8.")
  int[] pointFlags;

  @Override
  public Integer call() {
    try {
      TargetOptions options = options();
      CocoDataset dataset = CocoJson.readAnnotations(annotations);
      TargetWriter.Written w = TargetWriter.write(dataset, imageId, family, classes, options, images, out);
      System.out.printf("image %d: %d objects -> %d .npy, %d .png in %s%n", imageId, w.numObjects(),
          w.npyFiles().size(), w.pngFiles().size(), out);
      return 0;
    } catch (KeyDetException e) {
      System.err.println("targets: " + e.getMessage());
      return 2;
    }
  }

  private TargetOptions options() {
    TargetOptions.Builder b = TargetOptions.builder().optKeepRes(keepRes).optDenseWh(denseWh)
        .optCatSpecWh(catSpecWh).optMaxObjects(maxObjects);
    if (inputSize != null) {
      String[] wh = inputSize.trim().toLowerCase(java.util.Locale.ROOT).split("x", -1);
      try {
        int w = Integer.parseInt(wh[0].trim());
        int h = wh.length > 1 ? Integer.parseInt(wh[1].trim()) : w;
        if (wh.length > 2) {
          throw new NumberFormatException();
        }
        b.optInputSize(w, h);
      } catch (NumberFormatException e) {
        throw new io.github.keydet.api.InvalidConfigException(
            "--input-size must be W or WxH (positive integers), got '" + inputSize + "'");
      }
    }
    if (mseLoss) {
      b.optMsraHeatmaps(hmGauss);
    }
    if (radiusRule != null) {
      b.optRadiusRule(radiusRule);
    }
    if (pointFlags != null) {
      b.optPointFlags(pointFlags);
    }
    return b.build();
  }

  /** A family id in any case, checked against the registry. */
  static final class FamilyConverter implements picocli.CommandLine.ITypeConverter<ModelFamily> {
    @Override
    public ModelFamily convert(String value) {
      try {
        return Families.named(value).id();
      } catch (io.github.keydet.api.InvalidConfigException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
