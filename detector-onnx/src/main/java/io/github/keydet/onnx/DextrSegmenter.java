package io.github.keydet.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.keydet.api.ExtremePointSegmenter;
import io.github.keydet.api.InferenceException;
import io.github.keydet.api.InstanceMask;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.Keypoint;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.image.Pixels;
import io.github.keydet.core.segment.DextrCrop;
import io.github.keydet.core.segment.DextrPostprocessor;
import io.github.keydet.core.segment.DextrPreprocessor;
import io.github.keydet.core.segment.DextrSettings;
import io.github.keydet.core.segment.ProbabilityPatch;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DEXTR (Deep Extreme Cut) through ONNX Runtime: four extreme points of an object in, its {@link InstanceMask}
 * out, as ExtremeNet's {@code dextr.py} does it (see {@link DextrPreprocessor} and {@link DextrPostprocessor} in
 * detector-core). The model is a {@code tools/export --arch dextr} export: input {@code [N, 4, 512, 512]}
 * (R, G, B, heat; 0..255), output {@code mask} {@code [N, 1, 512, 512]} logits, metadata
 * {@code keydet.family = DEXTR}.
 *
 * <p>Several objects of one image go through the network together, {@link Builder#optMaxBatch} objects per run
 * (twice as many network items with the flip test). Thread-safe: any number of threads may segment at once; at most
 * {@link Builder#optMaxConcurrentRuns} runs (default 1: a ResNet-101 run uses every core and hundreds of MB) are
 * inside ONNX Runtime at a time, on the segmenter's own threads ({@link RunSlots}), the other callers waiting in
 * arrival order. Owns its session: {@link #close()} releases it after calls in progress; calls after close throw
 * {@link IllegalStateException}. Every native tensor of a call is closed before the call returns.
 */
public final class DextrSegmenter implements ExtremePointSegmenter, AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String name;
  private final String inputName;
  private final String outputName;
  private final DextrSettings settings;
  private final DextrPreprocessor pre;
  private final DextrPostprocessor post;
  private final int maxBatch;
  private final NativeLifecycle lifecycle;
  /** Bounds the runs in flight and executes them on the segmenter's own threads. */
  private final RunSlots runs;

  /**
   * One object's result with its intermediates, for tools and tests.
   *
   * @param mask the mask in image pixels
   * @param crop where the network input came from
   * @param probabilities {@code [size * size]} probabilities in network-input pixels (after the flip average)
   * @param patch the probabilities pasted back into the image
   */
  public record Outcome(InstanceMask mask, DextrCrop crop, float[] probabilities, ProbabilityPatch patch) {}

  private DextrSegmenter(Builder b, OrtEnvironment env, OrtSession session) throws OrtException {
    this.env = env;
    this.session = session;
    this.name = b.name;
    this.lifecycle = new NativeLifecycle("DEXTR segmenter '" + b.name + "'");
    Map<String, String> md = session.getMetadata().getCustomMetadata();
    String family = md.get("keydet.family");
    if (family != null && !"DEXTR".equals(family)) {
      throw new ModelLoadException("model '" + name + "' is a " + family + " model, not a DEXTR segmenter"
          + " (keydet.family must be DEXTR)");
    }
    DextrSettings s = new DextrSettings(intMeta(md, "keydet.dextr.relax", 50), intMeta(md, "keydet.input_height", 512),
        doubleMeta(md, "keydet.dextr.sigma", 10), doubleMeta(md, "keydet.dextr.threshold", 0.8), b.flipTest);
    this.settings = b.threshold != null ? s.withThreshold(b.threshold) : s;
    this.inputName = onlyName(session.getInputInfo(), "input");
    this.outputName = session.getOutputInfo().containsKey("mask") ? "mask"
        : onlyName(session.getOutputInfo(), "output");
    checkShape(session.getInputInfo().get(inputName), 4, "input '" + inputName + "'");
    checkShape(session.getOutputInfo().get(outputName), 1, "output '" + outputName + "'");
    this.pre = new DextrPreprocessor(settings);
    this.post = new DextrPostprocessor(settings);
    this.maxBatch = b.maxBatch;
    this.runs = RunSlots.fixed(name, session, b.maxConcurrentRuns);
  }

  /** Its run slots and run threads (for tests). */
  RunSlots runSlots() {
    return runs;
  }

  private String onlyName(Map<String, NodeInfo> infos, String what) {
    if (infos.size() != 1) {
      throw new ModelLoadException("DEXTR model '" + name + "' must have one " + what + " (or an output 'mask'),"
          + " it has " + infos.keySet());
    }
    return infos.keySet().iterator().next();
  }

  private void checkShape(NodeInfo info, int channels, String what) {
    long n = settings.size();
    // dimensions ONNX shape inference left unknown (-1) are checked when the first run returns
    if (!(info.getInfo() instanceof TensorInfo ti) || ti.getShape().length != 4 || !fits(ti.getShape()[1], channels)
        || !fits(ti.getShape()[2], n) || !fits(ti.getShape()[3], n)) {
      throw new ModelLoadException("DEXTR model '" + name + "': " + what + " must be [N, " + channels + ", " + n
          + ", " + n + "], it is " + (info.getInfo() instanceof TensorInfo ti2 ? Arrays.toString(ti2.getShape())
          : info.getInfo()));
    }
  }

  private static boolean fits(long dim, long expected) {
    return dim < 0 || dim == expected;
  }

  private static int intMeta(Map<String, String> md, String key, int def) {
    String v = md.get(key);
    try {
      return v == null ? def : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ModelLoadException("metadata " + key + " must be an integer, got '" + v + "'", e);
    }
  }

  private static double doubleMeta(Map<String, String> md, String key, double def) {
    String v = md.get(key);
    try {
      return v == null ? def : Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new ModelLoadException("metadata " + key + " must be a number, got '" + v + "'", e);
    }
  }

  /** A new builder. Not thread-safe. */
  public static Builder builder() {
    return new Builder();
  }

  /** The procedure's parameters (relax, size, sigma, threshold, flip test). */
  public DextrSettings settings() {
    return settings;
  }

  @Override
  public List<InstanceMask> segmentAll(BufferedImage image, List<List<Keypoint>> extremePoints) {
    List<Outcome> outs = segment(image, extremePoints, false);
    List<InstanceMask> masks = new ArrayList<>(outs.size());
    for (Outcome o : outs) {
      masks.add(o.mask());
    }
    return masks;
  }

  /**
   * Like {@link #segmentAll} with every object's intermediates.
   *
   * @throws InvalidInputException for a null image or list, or any object without exactly 4 finite points inside
   *     the image (checked for all objects before the network runs; with more than one object the message names it)
   */
  public List<Outcome> segmentDetailed(BufferedImage image, List<List<Keypoint>> extremePoints) {
    return segment(image, extremePoints, true);
  }

  /** Outcomes with (detailed) or without (null) the probabilities and the patch; the masks are the same. */
  private List<Outcome> segment(BufferedImage image, List<List<Keypoint>> extremePoints, boolean detailed) {
    if (image == null) {
      throw new InvalidInputException("image is null");
    }
    if (extremePoints == null) {
      throw new InvalidInputException("extreme point list is null");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    for (int i = 0; i < extremePoints.size(); i++) {
      try {
        DextrPreprocessor.checkPoints(extremePoints.get(i), w, h);
      } catch (InvalidInputException e) {
        if (extremePoints.size() == 1) {
          throw e; // one object: "object 0" would name nothing the caller gave
        }
        throw new InvalidInputException("object " + i + ": " + e.getMessage(), e);
      }
    }
    return lifecycle.whileOpen(() -> {
      byte[] rgb = Pixels.rgb(image);
      List<Outcome> out = new ArrayList<>(extremePoints.size());
      for (int from = 0; from < extremePoints.size(); from += maxBatch) {
        out.addAll(runBatch(rgb, w, h, extremePoints.subList(from, Math.min(extremePoints.size(), from + maxBatch)),
            detailed));
      }
      return out;
    });
  }

  private List<Outcome> runBatch(byte[] rgb, int w, int h, List<List<Keypoint>> objects, boolean detailed) {
    int per = settings.flipTest() ? 2 : 1;
    int len = pre.inputLength();
    int n = settings.size();
    float[] input = new float[objects.size() * per * len];
    List<DextrCrop> crops = new ArrayList<>(objects.size());
    for (int i = 0; i < objects.size(); i++) {
      // with the flip test, item 2i + 1 is item 2i mirrored
      crops.add(pre.prepare(rgb, w, h, objects.get(i), input, i * per * len, per == 2 ? (2 * i + 1) * len : -1));
    }
    float[] logits = run(input, objects.size() * per);
    List<Outcome> out = new ArrayList<>(objects.size());
    int plane = n * n;
    for (int i = 0; i < objects.size(); i++) {
      float[] flipped = per == 2 ? logits : null;
      int at = i * per * plane;
      InstanceMask mask = post.mask(logits, at, flipped, at + plane, crops.get(i));
      float[] p = detailed ? post.probabilities(logits, at, flipped, at + plane) : null;
      out.add(new Outcome(mask, crops.get(i), p, detailed ? post.pasteBack(p, crops.get(i)) : null));
    }
    return out;
  }

  private float[] run(float[] input, int items) {
    return runs.run(session -> runNow(session, input, items));
  }

  private float[] runNow(OrtSession session, float[] input, int items) {
    int n = settings.size();
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {items, 4, n, n});
        OrtSession.Result r = session.run(Map.of(inputName, t))) {
      Optional<OnnxValue> v = r.get(outputName);
      if (v.isEmpty() || !(v.get() instanceof OnnxTensor o)) {
        throw new InferenceException("DEXTR model '" + name + "' returned no tensor '" + outputName + "'");
      }
      FloatBuffer fb = o.getFloatBuffer();
      if (fb == null || fb.remaining() != items * n * n) {
        throw new InferenceException("DEXTR model '" + name + "' returned " + Arrays.toString(o.getInfo().getShape())
            + " for " + items + " inputs, expected [" + items + ", 1, " + n + ", " + n + "] floats");
      }
      float[] out = new float[fb.remaining()];
      fb.get(out);
      return out;
    } catch (OrtException e) {
      throw new InferenceException("ONNX Runtime failed on DEXTR model '" + name + "': " + e.getMessage(), e);
    }
  }

  /** Releases the ONNX Runtime session, after calls in progress finish. Idempotent. */
  @Override
  public void close() {
    try {
      lifecycle.close(() -> {
        runs.close();
        session.close();
      });
    } catch (OrtException e) {
      throw new InferenceException("closing DEXTR model '" + name + "' failed: " + e.getMessage(), e);
    }
  }

  /** Builder of {@link DextrSegmenter}: {@code setModel} is required, the rest optional. Not thread-safe. */
  public static final class Builder {
    private Path modelPath;
    private byte[] modelBytes;
    private String name = "dextr";
    private boolean flipTest = true;
    private Double threshold;
    private int maxBatch = 4;
    private int intraOpThreads;
    private int maxConcurrentRuns = 1;
    private ExecutionProvider provider = ExecutionProvider.auto();
    private CudaProbe cudaProbe = CudaProbe.system();

    private Builder() {}

    /** The model file (a {@code tools/export --arch dextr} export). */
    public Builder setModel(Path path) {
      this.modelPath = path;
      this.modelBytes = null;
      this.name = path == null ? "dextr" : String.valueOf(path.getFileName());
      return this;
    }

    /** The model as bytes (e.g. a classpath resource). */
    public Builder setModel(byte[] bytes, String displayName) {
      this.modelBytes = bytes;
      this.modelPath = null;
      this.name = displayName == null ? "dextr" : displayName;
      return this;
    }

    /** Flip test: also run the mirrored crop and average the logits (default true, as ExtremeNet's dextr.py). */
    public Builder optFlipTest(boolean v) {
      this.flipTest = v;
      return this;
    }

    /** Mask threshold on the probability (default: the model's metadata, else 0.8). */
    public Builder optThreshold(double v) {
      this.threshold = v;
      return this;
    }

    /** Objects per network run (default 4). */
    public Builder optMaxBatch(int v) {
      this.maxBatch = v;
      return this;
    }

    /** ONNX Runtime intra-op threads; 0 (default) lets ONNX Runtime choose. */
    public Builder optIntraOpThreads(int v) {
      this.intraOpThreads = v;
      return this;
    }

    /**
     * Network runs at once (default 1); further callers wait in arrival order. Each run holds its intermediate
     * tensors, so the memory in use grows with this number.
     */
    public Builder optMaxConcurrentRuns(int v) {
      this.maxConcurrentRuns = v;
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

    /**
     * Loads the model and checks its input, output and metadata.
     *
     * @throws ModelLoadException when the file is missing or unreadable or is not a DEXTR model
     * @throws InvalidConfigException for bad settings
     */
    public DextrSegmenter build() {
      if (modelPath == null && modelBytes == null) {
        throw new InvalidConfigException("no DEXTR model: call setModel(path) or setModel(bytes, name)");
      }
      if (maxBatch <= 0) {
        throw new InvalidConfigException("DEXTR max batch must be > 0 objects, got " + maxBatch);
      }
      if (maxConcurrentRuns <= 0) {
        throw new InvalidConfigException("DEXTR max concurrent runs must be > 0, got " + maxConcurrentRuns);
      }
      if (threshold != null && !(threshold >= 0 && threshold < 1)) {
        throw new InvalidConfigException("DEXTR threshold must be in [0, 1), got " + threshold);
      }
      OnnxSessions.Settings settings = new OnnxSessions.Settings(modelPath, modelBytes, name, provider, cudaProbe,
          intraOpThreads, false, null, true);
      settings.requireModelFile("DEXTR model");
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession session = null;
      try {
        session = OnnxSessions.open(env, settings).session();
        return new DextrSegmenter(this, env, session);
      } catch (OrtException e) {
        OnnxSessions.closeQuietly(session);
        throw new ModelLoadException("cannot load DEXTR model '" + name + "': " + e.getMessage(), e);
      } catch (RuntimeException e) {
        OnnxSessions.closeQuietly(session);
        throw e;
      }
    }
  }
}
