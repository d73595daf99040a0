package io.github.keydet.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.KeyDetException;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.family.DetectorFamily;
import io.github.keydet.core.family.Families;
import io.github.keydet.core.family.FamilyOption;
import java.util.Locale;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keydet decode}: runs one family's decoder on saved network heads and prints its rows as JSON.
 *
 * <p>Input: an {@code .npz} whose arrays are named after the family's heads ({@code hm}, {@code wh}, {@code reg};
 * {@code hps}, {@code hm_hp}, {@code hp_offset}; {@code dep}, {@code rot}, {@code dim}; GRIDNEIGHBOR's {@code hm} [N, C·P, H, W], {@code wh}/{@code reg} [N, 2P, H, W];
 * {@code tl_heat}...), rank 4, float32 or float64. Output: a JSON array of rows in output-map coordinates, before
 * any back-transform, best first per image: {@code {"batch", "class", "score", "box": [x1, y1, x2, y2]}} plus
 * {@code "points"} (pose joints, landmarks, ExtremeNet's t, l, b, r), {@code "point"} (GRIDNEIGHBOR: the flag 0..8 the box was decoded from), {@code "center"} (Triplets, ddd),
 * {@code "depth"}, {@code "dim"} (h, w, l), {@code "rot"} (the 8 raw channels) and {@code "alpha"} (ddd).
 * Only valid rows are written: rejected candidates (negative score) and the peak-suppressed cells that only fill
 * K on small maps (score exactly 0) are dropped.
 *
 * <p>Exit codes: 0 success, 1 bad input (missing file or array, shapes, NaN), 2 bad settings (unknown family,
 * K out of range...).
 */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    modelTransformer = FamilyDecodeOptions.class,
    description = "Decode saved heads (.npz) of a keypoint detector into candidate boxes (JSON).")
public class DecodeCommand implements Callable<Integer> {
  /** Exit code for bad input data. */
  public static final int EXIT_INPUT = 1;
  /** Exit code for bad settings. */
  public static final int EXIT_CONFIG = 2;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HEADS.npz", description = "The heads, arrays named as the family's heads.")
  File heads;

  @Option(
      names = "--family",
      required = true,
      description = "Decoder family (case-insensitive): ${COMPLETION-CANDIDATES}.",
      completionCandidates = FamilyDecodeOptions.FamilyIds.class)
  String family;

  @Option(names = "--K", description = "Top-K candidates (per map for CornerNet/ExtremeNet, per point flag for GRIDNEIGHBOR)."
      + " Default: the family's (100; Triplets 70; ExtremeNet 40).")
  Integer k;

  @Option(names = "--kernel", defaultValue = "3", description = "Peak-NMS window, odd. Default: ${DEFAULT-VALUE}.")
  int kernel;

  @Option(names = "--logits", arity = "0..1", paramLabel = "true|false",
      description = "Heatmaps hold logits (the decoder applies the sigmoid). Default: what the family's decoder takes"
          + " (logits for CORNERNET, CENTERNET_TRIPLETS and EXTREMENET, probabilities otherwise).")
  Boolean logits;

  @Option(names = "--layout", defaultValue = "NCHW", description = "Head layout, NCHW or NHWC. Default: ${DEFAULT-VALUE}.")
  String layout;

  @Option(names = "--stride", defaultValue = "4", description = "TTFNET_LTRB: output stride in input pixels. Default: ${DEFAULT-VALUE}.")
  int stride;

  @Option(names = "--num-dets", description = "Detections kept per image (CornerNet-style families, ExtremeNet: 1000).")
  Integer numDets;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the JSON here instead of stdout.")
  File out;

  /** For picocli. */
  public DecodeCommand() {}

  @Override
  public Integer call() {
    PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
    try {
      DetectorFamily fam = parseFamily(family);
      Layout lay = parseLayout(layout);
      HeadDecoder decoder = decoderFor(fam);
      Heads h = new Heads(readNpz(heads), lay);
      List<List<Candidate>> result = decoder.decode(h);
      byte[] json = toJson(fam, result);
      if (out != null) {
        Files.write(out.toPath(), json);
      } else {
        OutputStream os = System.out;
        os.write(json);
        os.write('\n');
        os.flush();
      }
      return 0;
    } catch (InvalidConfigException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return EXIT_CONFIG;
    } catch (KeyDetException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return EXIT_INPUT;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return EXIT_INPUT;
    }
  }

  /** The family named case-insensitively, or a config error listing the valid names. */
  static DetectorFamily parseFamily(String name) {
    return Families.named(name);
  }

  private static Layout parseLayout(String name) {
    try {
      return Layout.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("unknown layout '" + name + "': expected NCHW or NHWC");
    }
  }

  private Activation activation(DetectorFamily fam) {
    boolean takesLogits = logits != null ? logits : fam.nativeHeatmaps() == Activation.LOGITS;
    return takesLogits ? Activation.LOGITS : Activation.PROBABILITIES;
  }

  /**
   * The decoder of a family, configured from the common options and the family's own ({@link
   * DetectorFamily#decodeOptions()}, registered on this command by {@link FamilyDecodeOptions}).
   *
   * @throws InvalidConfigException for a setting out of range
   */
  HeadDecoder decoderFor(DetectorFamily fam) {
    ModelSpec modelSpec = ModelSpec.builder().setFamily(fam.id()).optLayout(parseLayout(layout))
        .optHeatmaps(activation(fam)).optStride(stride).build();
    DecodeOptions.Builder o = DecodeOptions.builder().optKernel(kernel);
    if (k != null) {
      o.optK(k);
    }
    if (numDets != null) {
      o.optNumDets(numDets);
    }
    for (FamilyOption option : fam.decodeOptions()) {
      Object value = FamilyDecodeOptions.value(spec, option);
      if (value != null) {
        option.apply().accept(o, value);
      }
    }
    return fam.decoder(modelSpec, o.build());
  }

  /** Reads every array of an {@code .npz}; ND4J converts numpy's dtypes (float64 stays double, cast later). */
  static Map<String, INDArray> readNpz(File file) {
    if (file == null || !file.isFile()) {
      throw new InvalidInputException("heads file not found: " + file);
    }
    try {
      Map<String, INDArray> arrays = Nd4j.createFromNpzFile(file);
      if (arrays == null || arrays.isEmpty()) {
        throw new InvalidInputException("no arrays in " + file);
      }
      return arrays;
    } catch (KeyDetException e) {
      throw e;
    } catch (Exception e) {
      throw new InvalidInputException("cannot read " + file + " as .npz: " + e.getMessage(), e);
    }
  }

  /** The rows as JSON bytes; see the class comment. */
  static byte[] toJson(DetectorFamily fam, List<List<Candidate>> result) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int b = 0; b < result.size(); b++) {
      for (Candidate c : result.get(b)) {
        if (!(c.score() > 0)) {
          continue; // rejected (< 0) or a suppressed cell that only fills K (0)
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("batch", b);
        row.put("class", c.classId());
        row.put("score", c.score());
        row.put("box", new float[] {c.x1(), c.y1(), c.x2(), c.y2()});
        fam.writeRow(c, row);
        rows.add(row);
      }
    }
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(rows);
  }
}
