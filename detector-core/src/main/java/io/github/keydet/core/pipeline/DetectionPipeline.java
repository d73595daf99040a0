package io.github.keydet.core.pipeline;

import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.decode.TripletsDecoder;
import io.github.keydet.core.family.DetectorFamily;
import io.github.keydet.core.family.Families;
import io.github.keydet.core.geometry3d.CameraCalibration;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.image.ImageFrame;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.core.image.Preprocessor;
import io.github.keydet.core.nms.Nms;
import io.github.keydet.core.nms.SoftNmsOptions;
import io.github.keydet.core.pipeline.StageClock.Stage;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.core.post.Postprocessor;
import io.github.keydet.core.saccade.SaccadeSettings;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import io.github.keydet.core.tta.FlipTest;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The test-time procedure around the network, for any family: preprocess, run the {@link Network} (and its mirror
 * with the flip test), decode, map back to image pixels and select — at one scale, or at several merged by
 * soft-NMS (CenterNet's multi-scale test), or with the runs of one image pooled before grouping (families that
 * {@link DetectorFamily#poolsRuns()}, CenterNet-Triplets), or as CornerNet-Saccade's search over crops chosen by
 * attention ({@link SaccadeProcedure}, families that {@link DetectorFamily#searchesByAttention()}). The network is a parameter, so the procedure is the
 * same for ONNX Runtime and for a test's fake network.
 *
 * <ul>
 *   <li>Flip test: families with {@link DetectorFamily#flipRules} merge the two runs' heads and decode once
 *       (heat maps as probabilities); the others decode both runs and append the mirror's candidates mirrored
 *       back ({@code x -> W - x}), best first.
 *   <li>Several scales (or one, for families that {@link DetectorFamily#mergesBySoftNms()}): every scale's
 *       candidates in image pixels (score floor: any positive score), merged per image by soft-NMS per class, then
 *       the post-processor's threshold, NMS and cap.
 * </ul>
 *
 * <p>Immutable and thread-safe when the network is. Build with {@link #builder(ModelSpec)}.
 */
public final class DetectionPipeline {
  private final ModelSpec spec;
  private final DetectorFamily family;
  private final Preprocessor preprocessor;
  private final HeadDecoder decoder;
  /** The same family's decoder for heat maps that are already probabilities (flip-test merged heads). */
  private final HeadDecoder probabilityDecoder;
  private final Optional<FlipRules> flipRules;
  /** The head whose width mirrors candidates back ({@code x -> W - x}): the family's first. */
  private final String firstHead;
  private final Postprocessor postprocessor;
  private final boolean flipTest;
  private final List<Double> scales;
  private final SoftNmsOptions softNms;
  /** CornerNet-Saccade's search, for the families that {@link DetectorFamily#searchesByAttention()}; else null. */
  private final SaccadeProcedure saccade;

  private DetectionPipeline(Builder b) {
    this.spec = b.spec;
    this.family = Families.of(spec.family());
    this.preprocessor = new Preprocessor(spec);
    // the model's own test defaults (e.g. CornerNet-Squeeze's K 20) where the caller set none
    DecodeOptions options = b.decodeOptions.withModelDefaults(spec.topK(), spec.numDets());
    this.decoder = family.decoder(spec, options);
    this.probabilityDecoder =
        family.decoder(spec.toBuilder().optHeatmaps(Activation.PROBABILITIES).build(), options);
    this.flipTest = b.flipTest;
    // asked only with the flip test: a family may refuse it (DeepFashion2 has no valid flip index)
    this.flipRules = flipTest ? family.flipRules(spec) : Optional.empty();
    this.firstHead = family.heads(spec).get(0).name();
    this.postprocessor = family.postprocessor(b.postprocess, b.calibration);
    this.scales = b.scales;
    this.softNms = b.softNms;
    this.saccade = family.searchesByAttention() ? saccade(b, options) : null;
    if (family.poolsRuns() && !(decoder instanceof TripletsDecoder)) {
      throw new InvalidConfigException("family " + family.id() + " pools runs but its decoder is "
          + decoder.getClass().getSimpleName() + ", not a TripletsDecoder");
    }
  }

  /** The Saccade search with the settings' defaults changed by the decode options; no flip test, one scale. */
  private SaccadeProcedure saccade(Builder b, DecodeOptions options) {
    if (b.flipTest || !isPlain()) {
      throw new InvalidConfigException("family " + family.id() + " runs CornerNet-Saccade's search over crops:"
          + " the flip test and test scales do not apply (got flip " + b.flipTest + ", scales " + scales + ")");
    }
    return new SaccadeProcedure(spec, SaccadeSettings.defaults().withDecodeOptions(options), postprocessor);
  }

  /** A builder for a model of this spec; every test setting optional. */
  public static Builder builder(ModelSpec spec) {
    return new Builder(spec);
  }

  public ModelSpec spec() {
    return spec;
  }

  public DetectorFamily family() {
    return family;
  }

  public Preprocessor preprocessor() {
    return preprocessor;
  }

  /**
   * Detects objects in a batch of images with {@code network}.
   *
   * @param images the batch (one network run per scale, twice with the flip test)
   * @param network the network of this pipeline's spec
   * @return per image its detections (image pixels) and its share of the stage times
   */
  public List<DetectionResult> detect(List<BufferedImage> images, Network network) {
    if (images == null || images.isEmpty()) {
      throw new InvalidInputException("no images to detect");
    }
    StageClock clock = new StageClock();
    List<List<Detection>> detections = saccade != null ? saccade.detect(images, network, clock)
        : family.poolsRuns()
        ? detectPooled((TripletsDecoder) decoder, images, network, clock)
        : isPlain() && !family.mergesBySoftNms() ? detectPlain(images, network, clock)
        : detectScales(images, network, clock);
    int n = images.size();
    var share = clock.perImage(n);
    List<DetectionResult> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new DetectionResult(detections.get(i), images.get(i).getWidth(), images.get(i).getHeight(), share));
    }
    return out;
  }

  /** Only scale 1: one run (two with the flip test), selected directly. */
  private boolean isPlain() {
    return scales.size() == 1 && scales.get(0) == 1.0;
  }

  private List<List<Detection>> detectPlain(List<BufferedImage> images, Network network, StageClock clock) {
    PreparedInput input = clock.time(Stage.PREPROCESS, () -> preprocessor.prepare(images, 1.0, network::borrowInput));
    List<List<Candidate>> candidates = decodeRun(input, network, clock);
    return clock.time(Stage.POSTPROCESS, () -> {
      List<List<Detection>> out = new ArrayList<>(candidates.size());
      for (int i = 0; i < candidates.size(); i++) {
        out.add(postprocessor.process(candidates.get(i), spec.stride(), input.transforms().get(i), spec::label));
      }
      return out;
    });
  }

  private List<List<Detection>> detectScales(List<BufferedImage> images, Network network, StageClock clock) {
    int n = images.size();
    List<List<Detection>> merged = emptyLists(n);
    for (double scale : scales) {
      PreparedInput input = clock.time(Stage.PREPROCESS, () -> preprocessor.prepare(images, scale, network::borrowInput));
      List<List<Candidate>> candidates = decodeRun(input, network, clock);
      clock.time(Stage.POSTPROCESS, () -> {
        for (int i = 0; i < n; i++) {
          merged.get(i).addAll(postprocessor.toDetections(
              candidates.get(i), spec.stride(), input.transforms().get(i), spec::label, Float.MIN_VALUE));
        }
        return null;
      });
    }
    return clock.time(Stage.POSTPROCESS, () -> mergeScales(merged));
  }

  /** The multi-scale merge: per image soft-NMS per class over every scale's detections, then selection. */
  private List<List<Detection>> mergeScales(List<List<Detection>> perImage) {
    List<List<Detection>> out = new ArrayList<>(perImage.size());
    for (List<Detection> all : perImage) {
      out.add(postprocessor.select(Nms.softNms(all, softNms, true)));
    }
    return out;
  }

  /**
   * CenterNet-Triplets as its test code runs: the corner pairs of every run (the mirror's with the flip test,
   * every scale's) are checked in image pixels against the pooled centers of the scale-1 runs (of every run when
   * 1 is not among the scales), then mapped, merged and selected like any other family's candidates.
   */
  private List<List<Detection>> detectPooled(
      TripletsDecoder triplets, List<BufferedImage> images, Network network, StageClock clock) {
    int n = images.size();
    List<List<TripletsDecoder.Run>> runs = emptyLists(n);
    List<List<TripletsDecoder.Run>> centerRuns = emptyLists(n);
    for (double scale : scales) {
      PreparedInput input = clock.time(Stage.PREPROCESS, () -> preprocessor.prepare(images, scale, network::borrowInput));
      List<List<TripletsDecoder.Run>> scaleRuns = runAndDecode(input, network, clock, (heads, mirrorHeads) -> {
        int mapWidth = heads.view(firstHead).width();
        List<List<TripletsDecoder.Run>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          ImageFrame frame = new ImageFrame(input.transforms().get(i), spec.stride());
          List<TripletsDecoder.Run> item = new ArrayList<>(2);
          item.add(triplets.run(heads, i, frame));
          if (mirrorHeads != null) {
            item.add(triplets.run(mirrorHeads, i, frame).mirrored(mapWidth));
          }
          out.add(item);
        }
        return out;
      });
      for (int i = 0; i < n; i++) {
        runs.get(i).addAll(scaleRuns.get(i));
        if (scale == 1.0) {
          centerRuns.get(i).addAll(scaleRuns.get(i));
        }
      }
    }
    boolean plain = isPlain();
    List<List<Detection>> mapped = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<TripletsDecoder.Run> all = runs.get(i);
      List<TripletsDecoder.Run> centers = centerRuns.get(i).isEmpty() ? all : centerRuns.get(i);
      List<List<Candidate>> kept = clock.time(Stage.DECODE, () -> triplets.match(all, centers));
      mapped.add(clock.time(Stage.POSTPROCESS, () -> {
        if (plain) {
          // one scale: the runs share the image frame
          List<Candidate> merged = new ArrayList<>();
          kept.forEach(merged::addAll);
          merged.sort((a, b) -> Float.compare(b.score(), a.score()));
          return postprocessor.process(merged, spec.stride(), all.get(0).frame().transform(), spec::label);
        }
        List<Detection> merged = new ArrayList<>();
        for (int k = 0; k < all.size(); k++) {
          merged.addAll(postprocessor.toDetections(
              kept.get(k), spec.stride(), all.get(k).frame().transform(), spec::label, Float.MIN_VALUE));
        }
        return merged;
      }));
    }
    return plain ? mapped : clock.time(Stage.POSTPROCESS, () -> mergeScales(mapped));
  }

  /** Runs the network (twice with the flip test) and decodes to candidates per image. */
  private List<List<Candidate>> decodeRun(PreparedInput input, Network network, StageClock clock) {
    int n = (int) input.shape()[0];
    return runAndDecode(input, network, clock, (heads, mirrorHeads) -> {
      if (mirrorHeads == null) {
        return decoder.decode(heads);
      }
      List<List<Candidate>> candidates = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        candidates.add(decodeFlipped(heads.batchItem(i), mirrorHeads.batchItem(i)));
      }
      return candidates;
    });
  }

  /** Decodes one input's heads; the mirrored input's heads are null without the flip test. */
  @FunctionalInterface
  private interface RunDecoder<T> {
    T decode(Heads heads, Heads mirrorHeads);
  }

  /**
   * Runs the network on the input (and on its mirror with the flip test) and decodes the heads while the runs are
   * open. Mirroring and copying the input are preprocessing, the runs inference, the rest decoding.
   */
  private <T> T runAndDecode(PreparedInput input, Network network, StageClock clock, RunDecoder<T> decode) {
    try (NetworkRun run = network.run(input.values(), input.shape())) {
      book(run, clock);
      if (!flipTest) {
        return clock.time(Stage.DECODE, () -> decode.decode(run.heads(), null));
      }
      FloatBuffer mirrored = network.borrowInput(input.values().limit());
      try {
        clock.time(Stage.PREPROCESS, () -> {
          FlipTest.mirrorInput(input.values(), input.shape(), spec.layout(), mirrored);
          return null;
        });
        try (NetworkRun mirrorRun = network.run(mirrored, input.shape())) {
          book(mirrorRun, clock);
          return clock.time(Stage.DECODE, () -> decode.decode(run.heads(), mirrorRun.heads()));
        }
      } finally {
        network.returnInput(mirrored);
      }
    } finally {
      network.returnInput(input.values());
    }
  }

  private static void book(NetworkRun run, StageClock clock) {
    clock.add(Stage.PREPROCESS, run.inputNanos());
    clock.add(Stage.INFERENCE, run.inferenceNanos());
  }

  /** Flip test of one image: merged heads (CenterNet's way) or merged candidates (CornerNet's way). */
  private List<Candidate> decodeFlipped(Heads original, Heads mirrored) {
    if (flipRules.isPresent()) {
      Heads merged = FlipTest.mergeHeads(original, mirrored, flipRules.get(), spec.heatmaps());
      return probabilityDecoder.decode(merged).get(0);
    }
    List<Candidate> all = new ArrayList<>(decoder.decode(original).get(0));
    int mapWidth = original.view(firstHead).width();
    all.addAll(FlipTest.mirrorCandidates(decoder.decode(mirrored).get(0), mapWidth));
    all.sort((a, b) -> Float.compare(b.score(), a.score()));
    return all;
  }

  /**
   * Test scales as a list of positive finite numbers (an immutable copy).
   *
   * @throws InvalidConfigException for a null or empty list or a bad value
   */
  public static List<Double> checkScales(List<Double> scales) {
    if (scales == null || scales.isEmpty()) {
      throw new InvalidConfigException("scales must not be empty");
    }
    for (Double d : scales) {
      if (d == null || !(d > 0) || d.isInfinite()) {
        throw new InvalidConfigException("scales must be positive numbers, got " + scales);
      }
    }
    return List.copyOf(scales);
  }

  private static <E> List<List<E>> emptyLists(int n) {
    List<List<E>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    return out;
  }

  /** Builder of {@link DetectionPipeline}: the spec is given, every test setting optional. Not thread-safe. */
  public static final class Builder {
    private final ModelSpec spec;
    private boolean flipTest;
    private List<Double> scales = List.of(1.0);
    private SoftNmsOptions softNms = SoftNmsOptions.centerNetDefault();
    private DecodeOptions decodeOptions = DecodeOptions.defaults();
    private PostprocessConfig postprocess = PostprocessConfig.defaults();
    private CameraCalibration calibration = CameraCalibration.kittiDefault();

    private Builder(ModelSpec spec) {
      this.spec = spec;
    }

    /** Flip test (default off). */
    public Builder optFlipTest(boolean v) {
      flipTest = v;
      return this;
    }

    /** Test scales (default just 1); positive and finite. */
    public Builder optScales(List<Double> v) {
      scales = checkScales(v);
      return this;
    }

    /** How multi-scale detections are merged (default CenterNet's Gaussian soft-NMS). */
    public Builder optSoftNms(SoftNmsOptions v) {
      softNms = InvalidConfigException.requireOption(v, "optSoftNms");
      return this;
    }

    /** Decoding settings. */
    public Builder optDecodeOptions(DecodeOptions v) {
      decodeOptions = InvalidConfigException.requireOption(v, "optDecodeOptions");
      return this;
    }

    /** Post-processing settings. */
    public Builder optPostprocess(PostprocessConfig v) {
      postprocess = InvalidConfigException.requireOption(v, "optPostprocess");
      return this;
    }

    /** Camera of the images, for 3D families (default CenterNet's KITTI camera). */
    public Builder optCalibration(CameraCalibration v) {
      calibration = InvalidConfigException.requireOption(v, "optCalibration");
      return this;
    }

    /**
     * The pipeline.
     *
     * @throws InvalidConfigException naming a null setting, or for a family that is not registered
     */
    public DetectionPipeline build() {
      if (spec == null) {
        throw new InvalidConfigException("pipeline needs a model spec");
      }
      if (softNms == null || decodeOptions == null || postprocess == null || calibration == null) {
        throw new InvalidConfigException(
            "softNms, decodeOptions, postprocess and calibration must not be null");
      }
      return new DetectionPipeline(this);
    }
  }
}
