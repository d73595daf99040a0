package io.github.keydet.examples.cli;

import io.github.keydet.api.KeyDetException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.coco.CocoDataset;
import io.github.keydet.core.coco.CocoJson;
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

  @Override
  public Integer call() {
    try {
      CocoDataset dataset = CocoJson.readAnnotations(annotations);
      TargetWriter.Written w = TargetWriter.write(dataset, imageId, family, classes, images, out);
      System.out.printf("image %d: %d objects -> %d .npy, %d .png in %s%n", imageId, w.numObjects(),
          w.npyFiles().size(), w.pngFiles().size(), out);
      return 0;
    } catch (KeyDetException e) {
      System.err.println("targets: " + e.getMessage());
      return 2;
    }
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
