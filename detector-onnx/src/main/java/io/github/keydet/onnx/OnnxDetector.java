package io.github.keydet.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.Detector;
import io.github.keydet.api.ExtremePointSegmenter;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelInfo;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.geometry3d.CameraCalibration;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.core.image.Preprocessor;
import io.github.keydet.core.nms.SoftNmsOptions;
import io.github.keydet.core.pipeline.DetectionPipeline;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.core.segment.DetectionMasks;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.spec.ResizeMode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Detector} that runs an ONNX model through ONNX Runtime and decodes its heads with detector-core.
 *
 * <p>Four parts: {@link OnnxSessions} opens the session (CUDA or the CPU), {@link OnnxModelContract} resolves the
 * spec and checks the model against its family, {@link OnnxRunner} runs it (pooled buffers), and detector-core's
 * {@link DetectionPipeline} does the test-time procedure (plain, flip, multi-scale, pooled runs) around it. This
 * class owns their lifecycle.
 *
 * <p>Built with {@link #builder()}; once built it is immutable and safe to share between threads (ONNX Runtime
 * sessions are). Threading: any number of threads may call {@code detect} at once; each call preprocesses and
 * decodes on its own thread, and at most {@link #maxConcurrentRuns()} calls are inside ONNX Runtime at a time
 * (by default elastic, {@link Builder#optElasticRuns}: a call alone runs on every core, overlapping calls run
 * one-thread sessions side by side, one per core; with the threads or runs set, the cores divided by one run's
 * intra-op threads), the rest waiting in arrival order; at most twice
 * that many calls are past their wait at once ({@link CallAdmission}), so callers beyond them hold no buffers
 * while they wait. It owns its native session: {@link #close()} releases it, waiting for calls in progress;
 * any call after close throws {@link IllegalStateException}. Every native tensor of a call is closed before the
 * call returns, on every path. Results are plain Java records.
 */
public final class OnnxDetector implements Detector {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxDetector.class);

  private final OrtSession session;
  private final OnnxModelContract contract;
  private final OnnxRunner runner;
  private final DetectionPipeline pipeline;
  private final int maxBatch;
  private final CallAdmission admission;
  private final RunSlots runSlots;
  private final ImageLoader imageLoader;
  private final ModelInfo info;
  private final ExtremePointSegmenter segmenter; // masks for extreme-point detections, or null
  private final DextrSegmenter ownedSegmenter; // closed with this detector, or null
  private final NativeLifecycle lifecycle;

  private OnnxDetector(Builder b, OrtEnvironment env, OrtSession session, OnnxSessions.Settings settings,
      String provider, DextrSegmenter owned) throws OrtException {
    this.session = session;
    this.lifecycle = new NativeLifecycle("detector '" + b.name + "'");
    this.ownedSegmenter = owned;
    this.segmenter = owned != null ? owned : b.segmenter;
    this.contract = OnnxModelContract.of(session, b.spec, b.name);
    ModelSpec spec = contract.spec();
    DetectorThreading threading =
        DetectorThreading.choose(env, session, settings, provider, b.cores, b.elasticRuns, b.maxConcurrentRuns);
    this.admission = threading.admission();
    this.runSlots = threading.slots();
    this.runner = new OnnxRunner(env, session, contract.inputName(), b.name, spec.layout(), contract.headOutputs(),
        session.getOutputInfo(), runSlots);
    this.pipeline = DetectionPipeline.builder(spec).optFlipTest(b.flipTest).optScales(b.scales)
        .optSoftNms(b.softNms).optDecodeOptions(b.decodeOptions).optPostprocess(b.postprocess)
        .optCalibration(b.calibration).build();
    this.maxBatch = b.maxBatch;
    this.imageLoader = b.imageLoader;
    this.info = new ModelInfo(
        b.name, spec.family(), spec.resize() == ResizeMode.PAD ? 0 : spec.inputWidth(),
        spec.resize() == ResizeMode.PAD ? 0 : spec.inputHeight(), spec.labels(), provider);
  }

  /** How many callers may be inside ONNX Runtime at once (the others wait, in arrival order). */
  public int maxConcurrentRuns() {
    return admission.maxConcurrentRuns();
  }

  /**
   * Whether runs are elastic: a call alone runs on every core, overlapping calls run one-thread sessions side by
   * side (see {@link Builder#optElasticRuns}).
   */
  public boolean elasticRuns() {
    return runSlots.elastic();
  }

  /** Its run slots and run threads (for tests: whether the one-thread session is open, how many run threads). */
  RunSlots runSlots() {
    return runSlots;
  }

  /** A new builder. Not thread-safe. */
  public static Builder builder() {
    return new Builder();
  }

  /** The spec this detector runs with (from the caller, the model's metadata, or inferred). */
  public ModelSpec spec() {
    return contract.spec();
  }

  @Override
  public ModelInfo modelInfo() {
    return info;
  }

  @Override
  public DetectionResult detect(BufferedImage image) {
    if (image == null) {
      throw new InvalidInputException("image is null");
    }
    return detectBatch(List.of(image)).get(0);
  }

  /** Reads the file with this detector's {@link ImageLoader} (see {@link Builder#optImageLoader}) and detects. */
  @Override
  public DetectionResult detect(Path imageFile) {
    return detect(imageLoader.read(imageFile));
  }

  /** Decodes the bytes with this detector's {@link ImageLoader} and detects. */
  @Override
  public DetectionResult detect(byte[] encodedImage) {
    return detect(imageLoader.read(encodedImage));
  }

  /** Decodes the stream with this detector's {@link ImageLoader} and detects. */
  @Override
  public DetectionResult detect(java.io.InputStream encodedImage) {
    return detect(imageLoader.read(encodedImage));
  }

  @Override
  public List<DetectionResult> detectAll(List<BufferedImage> images) {
    if (images == null) {
      throw new InvalidInputException("image list is null");
    }
    int step = contract.dynamicBatch() ? maxBatch : 1;
    List<DetectionResult> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i += step) {
      out.addAll(detectBatch(images.subList(i, Math.min(images.size(), i + step))));
    }
    return out;
  }

  private List<DetectionResult> detectBatch(List<BufferedImage> images) {
    return lifecycle.whileOpen(() -> admission.call(info.name(),
        () -> DetectionMasks.attachAll(pipeline.detect(images, runner), images, segmenter)));
  }

  /**
   * Runs the network on a prepared input and returns copies of the named outputs (all outputs when
   * {@code outputNames} is empty), for tools and tests that look at raw heads.
   */
  public Map<String, RawTensor> runRaw(PreparedInput input, Set<String> outputNames) {
    return lifecycle.whileOpen(() -> runner.runRaw(input, outputNames));
  }

  /** The model's output names (ONNX names; a head's is {@link ModelSpec#outputName}), e.g. for {@link #runRaw}. */
  public Set<String> outputNames() {
    lifecycle.checkOpen();
    return java.util.Collections.unmodifiableSet(session.getOutputNames());
  }

  /** The preprocessing this detector applies. */
  public Preprocessor preprocessor() {
    return pipeline.preprocessor();
  }

  /** Releases the ONNX Runtime session, after calls in progress finish. Idempotent. */
  @Override
  public void close() {
    try {
      lifecycle.close(() -> {
        runSlots.close();
        if (ownedSegmenter != null) {
          ownedSegmenter.close();
        }
        session.close();
      });
    } catch (OrtException e) {
      LOG.warn("closing ONNX Runtime session of '{}' failed: {}", info.name(), e.getMessage());
    }
  }

  /**
   * Builder of {@link OnnxDetector}: {@code setModel} is required, everything else optional. Not thread-safe.
   */
  public static final class Builder {
    private Path modelPath;
    private byte[] modelBytes;
    private String name = "model";
    private ModelSpec spec;
    private ExecutionProvider provider = ExecutionProvider.auto();
    private CudaProbe cudaProbe = CudaProbe.system();
    private int intraOpThreads;
    private boolean allowSpinning;
    private Path optimizedModelCache;
    private int maxBatch = 1;
    private int maxConcurrentRuns;
    private boolean elasticRuns = true;
    private int cores = Runtime.getRuntime().availableProcessors();
    private ImageLoader imageLoader = ImageLoader.defaults();
    private boolean flipTest;
    private CameraCalibration calibration = CameraCalibration.kittiDefault();
    private List<Double> scales = List.of(1.0);
    private SoftNmsOptions softNms = SoftNmsOptions.centerNetDefault();
    private DecodeOptions decodeOptions = DecodeOptions.defaults();
    private PostprocessConfig postprocess = PostprocessConfig.defaults();
    private ExtremePointSegmenter segmenter;
    private Path dextrModel;

    private Builder() {}

    /** The model file. */
    public Builder setModel(Path path) {
      this.modelPath = path;
      this.modelBytes = null;
      this.name = path == null ? "model" : String.valueOf(path.getFileName());
      return this;
    }

    /** The model as bytes (e.g. a classpath resource). */
    public Builder setModel(byte[] bytes, String displayName) {
      this.modelBytes = bytes;
      this.modelPath = null;
      this.name = displayName == null ? "model" : displayName;
      return this;
    }

    /**
     * An explicit spec; otherwise ({@code null}, the default) it is read from the model's metadata or inferred
     * from its outputs.
     */
    public Builder optSpec(ModelSpec v) {
      this.spec = v;
      return this;
    }

    /** Execution provider (default AUTO). */
    public Builder optProvider(ExecutionProvider v) {
      this.provider = InvalidConfigException.requireOption(v, "optProvider");
      return this;
    }

    /** How CUDA availability is detected (default: look for an NVIDIA driver). */
    public Builder optCudaProbe(CudaProbe v) {
      this.cudaProbe = InvalidConfigException.requireOption(v, "optCudaProbe");
      return this;
    }

    /** ONNX Runtime intra-op threads; 0 (default) lets ONNX Runtime choose. */
    public Builder optIntraOpThreads(int v) {
      this.intraOpThreads = v;
      return this;
    }

    /**
     * Whether ONNX Runtime's idle threads spin (default false: spinning threads slow the Java work that follows
     * each run on small machines).
     */
    public Builder optAllowSpinning(boolean v) {
      this.allowSpinning = v;
      return this;
    }

    /**
     * A folder where ONNX Runtime's optimised graph of this model is kept (default: none). The first build
     * optimises the model as usual and saves the result there; later builds (in any process) load the saved graph
     * with graph optimisation off, which makes {@code build()} faster (about 80 ms of 220 ms for the bundled
     * model here). Entries are keyed by the model's SHA-256, the ONNX Runtime version and the provider (the saved
     * graph may hold CPU-specific kernels), so a changed model never meets a stale entry; the folder is created if
     * needed, and when it cannot be written the model loads as usual with one warning.
     */
    public Builder optOptimizedModelCache(Path dir) {
      this.optimizedModelCache = dir;
      return this;
    }

    /**
     * How many calls may run the network at once (default 0: automatic, the cores divided by the intra-op threads
     * of one run, at least 1). Further callers wait in arrival order; their preprocessing and decoding still
     * overlap the runs. Bounding the runs keeps ONNX Runtime's threads from oversubscribing the cores and its
     * per-run memory from growing with the number of callers.
     */
    public Builder optMaxConcurrentRuns(int v) {
      if (v < 0) {
        throw new InvalidConfigException("max concurrent runs must be >= 0 (0 = automatic), got " + v);
      }
      this.maxConcurrentRuns = v;
      return this;
    }

    /**
     * Elastic runs (default true; only without {@link #optIntraOpThreads} and {@link #optMaxConcurrentRuns}, on
     * the CPU, with 2+ cores): a call alone runs on every core; while calls overlap, runs use a second, one-thread
     * session (opened on the first overlap, a second copy of the weights), one per core (the README says why).
     */
    public Builder optElasticRuns(boolean v) {
      this.elasticRuns = v;
      return this;
    }

    /** The cores the threading policy plans for (tests; default: the JVM's available processors). */
    Builder cores(int v) {
      this.cores = v;
      return this;
    }

    /**
     * How {@code detect(Path | byte[] | InputStream)} reads images (default {@link ImageLoader#defaults()}: 100
     * megapixels at most, truncated or CMYK files refused); e.g. {@code ImageLoader.builder().optMaxPixels(n)}.
     */
    public Builder optImageLoader(ImageLoader v) {
      this.imageLoader = InvalidConfigException.requireOption(v, "optImageLoader");
      return this;
    }

    /**
     * Images per network run in {@link #detectAll} when the model has a dynamic batch (default 1: on a 2-core CPU,
     * {@code keydet bench --batch 8} measured batches of 8 at 17.0–22.4 images/s against 21.3–22.9 for single runs;
     * larger batches may pay off on a GPU).
     */
    public Builder optMaxBatch(int v) {
      this.maxBatch = v;
      return this;
    }

    /**
     * Flip test (default off): also run the mirrored input and merge, as the papers' accuracy mode does; about
     * twice the inference time.
     */
    public Builder optFlipTest(boolean v) {
      this.flipTest = v;
      return this;
    }

    /**
     * Test scales (default just 1): with several, each image is detected at every scale and the detections are
     * merged per class by soft-NMS ({@link #optSoftNms}) before the score threshold, NMS and cap.
     */
    public Builder optScales(List<Double> v) {
      this.scales = DetectionPipeline.checkScales(v);
      return this;
    }

    /** How multi-scale detections are merged (default CenterNet's: Gaussian soft-NMS, sigma 0.5, Nt 0.5). */
    public Builder optSoftNms(SoftNmsOptions v) {
      this.softNms = InvalidConfigException.requireOption(v, "optSoftNms");
      return this;
    }

    /**
     * The camera of the images, for 3D ({@code ddd}) models: the 3x4 projection matrix that lifts detections to
     * {@link io.github.keydet.api.Box3D}s (default: CenterNet's KITTI default camera).
     */
    public Builder optCalibration(CameraCalibration v) {
      this.calibration = InvalidConfigException.requireOption(v, "optCalibration");
      return this;
    }

    /** Decoding settings (K, NMS kernel, family thresholds). */
    public Builder optDecodeOptions(DecodeOptions v) {
      this.decodeOptions = InvalidConfigException.requireOption(v, "optDecodeOptions");
      return this;
    }

    /** Post-processing settings (score threshold, NMS, cap). */
    public Builder optPostprocess(PostprocessConfig v) {
      this.postprocess = InvalidConfigException.requireOption(v, "optPostprocess");
      return this;
    }

    /** Masks for detections with 4 extreme points (ExtremeNet) from this segmenter (default none); caller-owned. */
    public Builder optSegmenter(ExtremePointSegmenter v) {
      this.segmenter = v;
      this.dextrModel = null;
      return this;
    }

    /** Like {@link #optSegmenter} with a {@link DextrSegmenter} of this file that the detector owns and closes. */
    public Builder optDextrModel(Path v) {
      this.dextrModel = v;
      this.segmenter = null;
      return this;
    }

    /**
     * Loads the model and checks it against its spec.
     *
     * @throws ModelLoadException when the file is missing or unreadable, the model does not fit its spec, or
     *     strict CUDA cannot be used
     * @throws InvalidConfigException for bad settings
     */
    public OnnxDetector build() {
      if (modelPath == null && modelBytes == null) {
        throw new InvalidConfigException("no model: call setModel(path) or setModel(bytes, name)");
      }
      if (maxBatch <= 0) {
        throw new InvalidConfigException("max batch must be > 0, got " + maxBatch);
      }
      if (decodeOptions == null || postprocess == null) {
        throw new InvalidConfigException("decodeOptions and postprocess must not be null");
      }
      OnnxSessions.Settings settings = new OnnxSessions.Settings(
          modelPath, modelBytes, name, provider, cudaProbe, intraOpThreads, allowSpinning, optimizedModelCache, true);
      settings.requireModelFile("model");
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession session = null;
      DextrSegmenter owned = dextrModel == null ? null : DextrSegmenter.builder().setModel(dextrModel)
          .optProvider(provider).optCudaProbe(cudaProbe).optIntraOpThreads(intraOpThreads).build();
      try {
        OnnxSessions.Opened opened = OnnxSessions.open(env, settings);
        session = opened.session();
        return new OnnxDetector(this, env, session, settings, opened.provider(), owned);
      } catch (OrtException | RuntimeException e) {
        OnnxSessions.closeQuietly(session);
        if (owned != null) {
          owned.close();
        }
        throw e instanceof OrtException
            ? new ModelLoadException("cannot load model '" + name + "': " + e.getMessage(), e) : (RuntimeException) e;
      }
    }
  }
}
