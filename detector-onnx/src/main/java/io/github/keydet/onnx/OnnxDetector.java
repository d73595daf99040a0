package io.github.keydet.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.keydet.api.Detection;
import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.Detector;
import io.github.keydet.api.InferenceException;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.api.ModelInfo;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.api.StageTimings;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.image.ImageFrame;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.decode.TripletsDecoder;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.core.image.Preprocessor;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.core.post.Postprocessor;
import io.github.keydet.core.family.DetectorFamily;
import io.github.keydet.core.family.Families;
import io.github.keydet.core.family.HeadContract;
import io.github.keydet.core.tta.FlipRules;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.spec.ResizeMode;
import io.github.keydet.core.tta.FlipTest;
import io.github.keydet.core.geometry3d.CameraCalibration;
import io.github.keydet.core.nms.Nms;
import io.github.keydet.core.nms.SoftNmsOptions;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Detector} that runs an ONNX model through ONNX Runtime and decodes its heads with detector-core.
 *
 * <p>Built with {@link #builder()}; once built it is immutable and safe to share between threads (ONNX Runtime
 * sessions are). It owns its native session: {@link #close()} releases it, waiting for calls in progress;
 * any call after close throws {@link IllegalStateException}. Every native tensor of a call is closed before the
 * call returns, on every path. Results are plain Java records.
 */
public final class OnnxDetector implements Detector {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxDetector.class);

  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelSpec spec;
  private final DetectorFamily family;
  private final String inputName;
  private final boolean dynamicBatch;
  private final int maxBatch;
  /** Canonical head name to ONNX output name, for the heads this family decodes. */
  private final Map<String, String> headOutputs;
  private final Preprocessor preprocessor;
  private final HeadDecoder decoder;
  /** The same family's decoder for heatmaps that are already probabilities (flip-test merged heads). */
  private final HeadDecoder probabilityDecoder;
  private final boolean flipTest;
  private final List<Double> scales;
  private final SoftNmsOptions softNms;
  private final Postprocessor postprocessor;
  /** Pinned output buffers when every head's shape is known up to the batch size; otherwise null. */
  private final OutputBuffers outputBuffers;
  private final InputBuffers inputBuffers = new InputBuffers(Math.max(2, Runtime.getRuntime().availableProcessors()));
  private final ModelInfo info;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private OnnxDetector(Builder b, OrtSession session, String provider) throws OrtException {
    this.env = OrtEnvironment.getEnvironment();
    this.session = session;
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    this.spec = resolveSpec(b, session, outputs.keySet());
    this.family = familyOf(spec, b.name);
    Map.Entry<String, NodeInfo> input = checkInput(session.getInputInfo(), spec);
    this.inputName = input.getKey();
    long batchDim = ((TensorInfo) input.getValue().getInfo()).getShape()[0];
    this.dynamicBatch = batchDim < 0;
    this.maxBatch = b.maxBatch;
    this.headOutputs = HeadContract.resolve(family, spec, declaredShapes(outputs));
    this.outputBuffers = pinnableOutputs(headOutputs, outputs);
    this.preprocessor = new Preprocessor(spec);
    this.decoder = family.decoder(spec, b.decodeOptions);
    this.probabilityDecoder = family.decoder(
        spec.toBuilder().optHeatmaps(io.github.keydet.core.heads.Activation.PROBABILITIES).build(), b.decodeOptions);
    this.flipTest = b.flipTest;
    this.scales = List.copyOf(b.scales);
    this.softNms = b.softNms;
    this.postprocessor = family.postprocessor(b.postprocess, b.calibration);
    this.info = new ModelInfo(
        b.name, spec.family(), spec.resize() == ResizeMode.PAD ? 0 : spec.inputWidth(),
        spec.resize() == ResizeMode.PAD ? 0 : spec.inputHeight(), spec.labels(), provider);
  }

  /** A new builder. Not thread-safe. */
  public static Builder builder() {
    return new Builder();
  }

  /** The spec this detector runs with (from the caller, the model's metadata, or inferred). */
  public ModelSpec spec() {
    return spec;
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

  @Override
  public List<DetectionResult> detectAll(List<BufferedImage> images) {
    if (images == null) {
      throw new InvalidInputException("image list is null");
    }
    int step = dynamicBatch ? maxBatch : 1;
    List<DetectionResult> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i += step) {
      out.addAll(detectBatch(images.subList(i, Math.min(images.size(), i + step))));
    }
    return out;
  }

  private List<DetectionResult> detectBatch(List<BufferedImage> images) {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      int n = images.size();
      long[] stageNanos = new long[4];
      List<List<Detection>> detections;
      if (family.poolsRuns()) {
        detections = detectTriplets((TripletsDecoder) decoder, images, stageNanos);
      } else if (scales.size() == 1 && scales.get(0) == 1.0) {
        PreparedInput input = timed(stageNanos, 0, () -> preprocessor.prepare(images));
        List<List<Candidate>> candidates = decodeRun(input, stageNanos);
        long t0 = System.nanoTime();
        detections = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          detections.add(postprocessor.process(
              candidates.get(i), spec.stride(), input.transforms().get(i), spec::label));
        }
        stageNanos[3] += System.nanoTime() - t0;
      } else {
        // Multi-scale: every scale's candidates in image pixels, merged per class by soft-NMS, then selected.
        List<List<Detection>> merged = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          merged.add(new ArrayList<>());
        }
        for (double scale : scales) {
          PreparedInput input = timed(stageNanos, 0, () -> preprocessor.prepare(images, scale));
          List<List<Candidate>> candidates = decodeRun(input, stageNanos);
          long t0 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            merged.get(i).addAll(postprocessor.toDetections(
                candidates.get(i), spec.stride(), input.transforms().get(i), spec::label, Float.MIN_VALUE));
          }
          stageNanos[3] += System.nanoTime() - t0;
        }
        long t0 = System.nanoTime();
        detections = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          detections.add(postprocessor.select(Nms.softNms(merged.get(i), softNms, true)));
        }
        stageNanos[3] += System.nanoTime() - t0;
      }
      StageTimings share = new StageTimings(stageNanos[0] / n, stageNanos[1] / n, stageNanos[2] / n, stageNanos[3] / n);
      List<DetectionResult> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(new DetectionResult(detections.get(i), images.get(i).getWidth(), images.get(i).getHeight(), share));
      }
      return out;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * CenterNet-Triplets as its test code runs: the corner pairs of every run (the mirror's with the flip test,
   * every scale's) are checked in image pixels against the pooled centers of the scale-1 runs (of every run when
   * 1 is not among the scales), then mapped, merged and selected like any other family's candidates.
   */
  private List<List<Detection>> detectTriplets(
      TripletsDecoder triplets, List<BufferedImage> images, long[] stageNanos) {
    int n = images.size();
    boolean plain = scales.size() == 1 && scales.get(0) == 1.0;
    List<List<TripletsDecoder.Run>> runs = new ArrayList<>(n);
    List<List<TripletsDecoder.Run>> centerRuns = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      runs.add(new ArrayList<>());
      centerRuns.add(new ArrayList<>());
    }
    for (double scale : scales) {
      PreparedInput input =
          timed(stageNanos, 0, () -> plain ? preprocessor.prepare(images) : preprocessor.prepare(images, scale));
      List<List<TripletsDecoder.Run>> scaleRuns = tripletRuns(triplets, input, stageNanos);
      for (int i = 0; i < n; i++) {
        runs.get(i).addAll(scaleRuns.get(i));
        if (scale == 1.0) {
          centerRuns.get(i).addAll(scaleRuns.get(i));
        }
      }
    }
    List<List<Detection>> detections = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      List<TripletsDecoder.Run> all = runs.get(i);
      List<List<Candidate>> kept =
          triplets.match(all, centerRuns.get(i).isEmpty() ? all : centerRuns.get(i));
      long t1 = System.nanoTime();
      stageNanos[2] += t1 - t0;
      if (plain) {
        // one scale: the runs share the image frame
        List<Candidate> merged = new ArrayList<>();
        kept.forEach(merged::addAll);
        merged.sort((a, b) -> Float.compare(b.score(), a.score()));
        detections.add(
            postprocessor.process(merged, spec.stride(), all.get(0).frame().transform(), spec::label));
      } else {
        List<Detection> merged = new ArrayList<>();
        for (int k = 0; k < all.size(); k++) {
          merged.addAll(postprocessor.toDetections(
              kept.get(k), spec.stride(), all.get(k).frame().transform(), spec::label, Float.MIN_VALUE));
        }
        detections.add(postprocessor.select(Nms.softNms(merged, softNms, true)));
      }
      stageNanos[3] += System.nanoTime() - t1;
    }
    return detections;
  }

  /** Each image's Triplets runs: the input's, and the mirror's mirrored back with the flip test. */
  private List<List<TripletsDecoder.Run>> tripletRuns(
      TripletsDecoder triplets, PreparedInput input, long[] stageNanos) {
    int n = (int) input.shape()[0];
    return runAndDecode(input, stageNanos, (heads, mirrorHeads) -> {
      int mapWidth = heads.view("tl_heat").width();
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
  }

  private static <T> T timed(long[] stageNanos, int stage, java.util.function.Supplier<T> work) {
    long t0 = System.nanoTime();
    T result = work.get();
    stageNanos[stage] += System.nanoTime() - t0;
    return result;
  }

  /** Runs the network (twice with the flip test) and decodes to candidates per image. */
  private List<List<Candidate>> decodeRun(PreparedInput input, long[] stageNanos) {
    int n = (int) input.shape()[0];
    return runAndDecode(input, stageNanos, (heads, mirrorHeads) -> {
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
   * open; adds inference and decode time to the stages.
   */
  private <T> T runAndDecode(PreparedInput input, long[] stageNanos, RunDecoder<T> decode) {
    long t0 = System.nanoTime();
    long inferNanos = 0;
    T out;
    try (HeadRun run = infer(input.data(), input.shape())) {
      inferNanos += run.inferenceNanos;
      if (!flipTest) {
        out = decode.decode(run.heads, null);
      } else {
        float[] mirrored = FlipTest.mirrorInput(input.data(), input.shape(), spec.layout());
        try (HeadRun mirrorRun = infer(mirrored, input.shape())) {
          inferNanos += mirrorRun.inferenceNanos;
          out = decode.decode(run.heads, mirrorRun.heads);
        }
      }
    }
    stageNanos[1] += inferNanos;
    stageNanos[2] += System.nanoTime() - t0 - inferNanos;
    return out;
  }

  /** Flip test of one image: merged heads (CenterNet's way) or merged candidates (CornerNet's way). */
  private List<Candidate> decodeFlipped(Heads original, Heads mirrored) {
    Optional<FlipRules> rules = family.flipRules(spec);
    if (rules.isPresent()) {
      Heads merged = FlipTest.mergeHeads(original, mirrored, rules.get(), spec.heatmaps());
      return probabilityDecoder.decode(merged).get(0);
    }
    List<Candidate> all = new ArrayList<>(decoder.decode(original).get(0));
    int mapWidth = original.view(family.heads(spec).get(0).name()).width();
    all.addAll(FlipTest.mirrorCandidates(decoder.decode(mirrored).get(0), mapWidth));
    all.sort((a, b) -> Float.compare(b.score(), a.score()));
    return all;
  }

  /**
   * One network run whose heads stay valid until it is closed: pinned output buffers go back to the pool and
   * ONNX Runtime's result is released then.
   */
  private final class HeadRun implements AutoCloseable {
    private final Heads heads;
    private final long inferenceNanos;
    private final Runnable release;

    HeadRun(Heads heads, long inferenceNanos, Runnable release) {
      this.heads = heads;
      this.inferenceNanos = inferenceNanos;
      this.release = release;
    }

    @Override
    public void close() {
      release.run();
    }
  }

  private HeadRun infer(float[] data, long[] shape) {
    java.nio.ByteBuffer in = inputBuffers.fill(data);
    try {
      return infer(in.asFloatBuffer(), shape);
    } finally {
      // the run is over (its input tensor closed) whether it returned or threw
      inputBuffers.giveBack(in);
    }
  }

  private HeadRun infer(FloatBuffer data, long[] shape) {
    int n = (int) shape[0];
    if (outputBuffers != null) {
      Map<String, java.nio.ByteBuffer> buffers = outputBuffers.borrow(n);
      Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
      Runnable release = () -> {
        pinned.values().forEach(OnnxTensor::close);
        outputBuffers.giveBack(n, buffers);
      };
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, shape)) {
        Map<String, HeadView> views = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : headOutputs.entrySet()) {
          long[] outShape = outputBuffers.shape(e.getValue(), n);
          FloatBuffer fb = buffers.get(e.getValue()).asFloatBuffer();
          pinned.put(e.getValue(), OnnxTensor.createTensor(env, fb, outShape));
          views.put(e.getKey(), HeadView.of(e.getKey(), fb, outShape, spec.layout()));
        }
        long start = System.nanoTime();
        try (OrtSession.Result result = session.run(Map.of(inputName, tensor), pinned)) {
          long took = System.nanoTime() - start;
          return new HeadRun(Heads.ofViews(views, spec.layout()), took, release);
        }
      } catch (OrtException | RuntimeException e) {
        release.run();
        throw wrap(e);
      }
    }
    OrtSession.Result result = null;
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, shape)) {
      long start = System.nanoTime();
      result = session.run(Map.of(inputName, tensor), new LinkedHashSet<>(headOutputs.values()));
      long took = System.nanoTime() - start;
      OrtSession.Result owned = result;
      return new HeadRun(headsOf(result), took, owned::close);
    } catch (OrtException | RuntimeException e) {
      if (result != null) {
        result.close();
      }
      throw wrap(e);
    }
  }

  private RuntimeException wrap(Exception e) {
    if (e instanceof RuntimeException re) {
      return re;
    }
    return new InferenceException("ONNX Runtime failed on model '" + info.name() + "': " + e.getMessage(), e);
  }

  /**
   * Runs the network on a prepared input and returns copies of the named outputs (all outputs when
   * {@code outputNames} is empty), for tools and tests that look at raw heads.
   */
  public Map<String, RawTensor> runRaw(PreparedInput input, Set<String> outputNames) {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      Set<String> wanted = outputNames.isEmpty() ? session.getOutputNames() : outputNames;
      for (String name : wanted) {
        if (!session.getOutputNames().contains(name)) {
          throw new InvalidInputException("model has no output '" + name + "': it has " + session.getOutputNames());
        }
      }
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.data()), input.shape());
          OrtSession.Result result = session.run(Map.of(inputName, tensor), new LinkedHashSet<>(wanted))) {
        Map<String, RawTensor> out = new LinkedHashMap<>();
        for (String name : wanted) {
          OnnxTensor t = tensorOf(result, name);
          long[] shape = t.getInfo().getShape();
          float[] data;
          if (t.getInfo().type == OnnxJavaType.FLOAT) {
            FloatBuffer fb = t.getFloatBuffer();
            data = new float[fb.remaining()];
            fb.get(data);
          } else {
            throw new InferenceException("output '" + name + "' is " + t.getInfo().type + ", not float");
          }
          out.put(name, new RawTensor(data, shape));
        }
        return out;
      } catch (OrtException e) {
        throw new InferenceException("ONNX Runtime failed on model '" + info.name() + "': " + e.getMessage(), e);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** The preprocessing this detector applies. */
  public Preprocessor preprocessor() {
    return preprocessor;
  }

  private Heads headsOf(OrtSession.Result result) {
    Map<String, HeadView> views = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : headOutputs.entrySet()) {
      OnnxTensor t = tensorOf(result, e.getValue());
      if (t.getInfo().type != OnnxJavaType.FLOAT) {
        throw new InferenceException("output '" + e.getValue() + "' is " + t.getInfo().type + ", expected float");
      }
      views.put(e.getKey(), HeadView.of(e.getKey(), t.getFloatBuffer(), t.getInfo().getShape(), spec.layout()));
    }
    return Heads.ofViews(views, spec.layout());
  }

  private static OnnxTensor tensorOf(OrtSession.Result result, String name) {
    Optional<OnnxValue> v = result.get(name);
    if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
      throw new InferenceException("model returned no tensor for output '" + name + "'");
    }
    return t;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("detector '" + info.name() + "' is closed");
    }
  }

  /** Releases the ONNX Runtime session, after calls in progress finish. Idempotent. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        session.close();
      }
    } catch (OrtException e) {
      LOG.warn("closing ONNX Runtime session of '{}' failed: {}", info.name(), e.getMessage());
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  // ---- load-time checks -------------------------------------------------------------------------------

  private static ModelSpec resolveSpec(Builder b, OrtSession session, Set<String> outputNames) throws OrtException {
    if (b.spec != null) {
      return b.spec;
    }
    Map<String, String> metadata = session.getMetadata().getCustomMetadata();
    if (ModelSpec.hasSpec(metadata)) {
      return ModelSpec.fromMetadata(metadata);
    }
    ModelFamily family = Families.infer(outputNames).map(DetectorFamily::id).orElseThrow(() -> new ModelLoadException(
        "model '" + b.name + "' has no KeyDet spec in its metadata and its outputs " + outputNames
            + " name no known family; pass a ModelSpec with optSpec(...)"));
    ModelSpec.Builder sb = ModelSpec.builder().setFamily(family);
    // Fixed spatial input dims, when the model declares them, are the input size.
    Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
    if (in.getValue().getInfo() instanceof TensorInfo ti && ti.getShape().length == 4) {
      long[] s = ti.getShape();
      if (s[2] > 0 && s[3] > 0) {
        sb.optInputSize((int) s[3], (int) s[2]);
      } else {
        sb.optResize(ResizeMode.PAD);
      }
    }
    LOG.info("model '{}' has no KeyDet metadata: inferred family {} from its outputs {}", b.name, family, outputNames);
    return sb.build();
  }

  private static Map.Entry<String, NodeInfo> checkInput(Map<String, NodeInfo> inputs, ModelSpec spec) {
    if (inputs.size() != 1) {
      throw new ModelLoadException(
          "model must have exactly one input (the image tensor), it has " + inputs.size() + ": " + inputs.keySet());
    }
    Map.Entry<String, NodeInfo> in = inputs.entrySet().iterator().next();
    if (!(in.getValue().getInfo() instanceof TensorInfo ti)) {
      throw new ModelLoadException("input '" + in.getKey() + "' is not a tensor");
    }
    long[] shape = ti.getShape();
    if (shape.length != 4) {
      throw new ModelLoadException("input '" + in.getKey() + "' must have rank 4 ("
          + (spec.layout() == Layout.NCHW ? "[N, 3, H, W]" : "[N, H, W, 3]") + "), model declares "
          + Arrays.toString(shape));
    }
    if (ti.type != OnnxJavaType.FLOAT) {
      throw new ModelLoadException("input '" + in.getKey() + "' must be float32, model declares " + ti.type);
    }
    long channels = spec.layout() == Layout.NCHW ? shape[1] : shape[3];
    if (channels > 0 && channels != 3) {
      throw new ModelLoadException("input '" + in.getKey() + "' " + Arrays.toString(shape) + " has " + channels
          + " channels in " + spec.layout() + " layout; KeyDet feeds 3 (check the spec's layout)");
    }
    long h = spec.layout() == Layout.NCHW ? shape[2] : shape[1];
    long w = spec.layout() == Layout.NCHW ? shape[3] : shape[2];
    if (spec.resize() != ResizeMode.PAD
        && ((h > 0 && h != spec.inputHeight()) || (w > 0 && w != spec.inputWidth()))) {
      throw new ModelLoadException("input '" + in.getKey() + "' is " + Arrays.toString(shape) + " but the spec says "
          + spec.inputWidth() + "x" + spec.inputHeight());
    }
    return in;
  }

  /**
   * A buffer pool when every head output has a fixed shape apart from (possibly) the batch dimension: then ONNX
   * Runtime can write into buffers we own and the decoder reads them in place.
   */
  private static OutputBuffers pinnableOutputs(Map<String, String> heads, Map<String, NodeInfo> outputs) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (String out : heads.values()) {
      if (!(outputs.get(out).getInfo() instanceof TensorInfo ti) || ti.type != OnnxJavaType.FLOAT) {
        return null;
      }
      long[] s = ti.getShape().clone();
      for (int i = 1; i < s.length; i++) {
        if (s[i] <= 0) {
          return null;
        }
      }
      s[0] = 1;
      shapes.put(out, s);
    }
    return new OutputBuffers(shapes, Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  private static DetectorFamily familyOf(ModelSpec spec, String name) {
    try {
      return Families.of(spec.family());
    } catch (InvalidConfigException e) {
      throw new ModelLoadException("model '" + name + "': " + e.getMessage(), e);
    }
  }

  /** Every output's declared shape, null for outputs that are not tensors. */
  private static Map<String, long[]> declaredShapes(Map<String, NodeInfo> outputs) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (Map.Entry<String, NodeInfo> e : outputs.entrySet()) {
      shapes.put(e.getKey(), e.getValue().getInfo() instanceof TensorInfo ti ? ti.getShape() : null);
    }
    return shapes;
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
    private int maxBatch = 8;
    private boolean flipTest;
    private CameraCalibration calibration = CameraCalibration.kittiDefault();
    private List<Double> scales = List.of(1.0);
    private SoftNmsOptions softNms = SoftNmsOptions.centerNetDefault();
    private DecodeOptions decodeOptions = DecodeOptions.defaults();
    private PostprocessConfig postprocess = PostprocessConfig.defaults();

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

    /** An explicit spec; otherwise it is read from the model's metadata or inferred from its outputs. */
    public Builder optSpec(ModelSpec v) {
      this.spec = v;
      return this;
    }

    /** Execution provider (default AUTO). */
    public Builder optProvider(ExecutionProvider v) {
      this.provider = v;
      return this;
    }

    /** How CUDA availability is detected (default: look for an NVIDIA driver). */
    public Builder optCudaProbe(CudaProbe v) {
      this.cudaProbe = v;
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

    /** Images per network run in {@link #detectAll} when the model has a dynamic batch (default 8). */
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
      if (v == null || v.isEmpty()) {
        throw new InvalidConfigException("scales must not be empty");
      }
      for (Double d : v) {
        if (d == null || !(d > 0) || d.isInfinite()) {
          throw new InvalidConfigException("scales must be positive numbers, got " + v);
        }
      }
      this.scales = List.copyOf(v);
      return this;
    }

    /** How multi-scale detections are merged (default CenterNet's: Gaussian soft-NMS, sigma 0.5, Nt 0.5). */
    public Builder optSoftNms(SoftNmsOptions v) {
      this.softNms = v;
      return this;
    }

    /**
     * The camera of the images, for 3D ({@code ddd}) models: the 3x4 projection matrix that lifts detections to
     * {@link io.github.keydet.api.Box3D}s (default: CenterNet's KITTI default camera).
     */
    public Builder optCalibration(CameraCalibration v) {
      this.calibration = java.util.Objects.requireNonNull(v, "calibration");
      return this;
    }

    /** Decoding settings (K, NMS kernel, family thresholds). */
    public Builder optDecodeOptions(DecodeOptions v) {
      this.decodeOptions = v;
      return this;
    }

    /** Post-processing settings (score threshold, NMS, cap). */
    public Builder optPostprocess(PostprocessConfig v) {
      this.postprocess = v;
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
      if (intraOpThreads < 0) {
        throw new InvalidConfigException("intra-op threads must be >= 0, got " + intraOpThreads);
      }
      if (maxBatch <= 0) {
        throw new InvalidConfigException("max batch must be > 0, got " + maxBatch);
      }
      if (provider == null || decodeOptions == null || postprocess == null || cudaProbe == null) {
        throw new InvalidConfigException("provider, cudaProbe, decodeOptions and postprocess must not be null");
      }
      if (modelPath != null && !Files.isRegularFile(modelPath)) {
        throw new ModelLoadException("model file not found: " + modelPath.toAbsolutePath());
      }
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      SessionFactory factory = new SessionFactory(env, this);
      OrtSession session = null;
      try {
        session = factory.open();
        return new OnnxDetector(this, session, factory.providerUsed);
      } catch (OrtException e) {
        closeQuietly(session);
        throw new ModelLoadException("cannot load model '" + name + "': " + e.getMessage(), e);
      } catch (RuntimeException e) {
        closeQuietly(session);
        throw e;
      }
    }

    private static void closeQuietly(OrtSession session) {
      if (session != null) {
        try {
          session.close();
        } catch (OrtException e) {
          LOG.debug("closing a session that failed its checks: {}", e.getMessage());
        }
      }
    }
  }

  /** Opens the session on the chosen provider, falling back to the CPU as the provider choice allows. */
  private static final class SessionFactory {
    private final OrtEnvironment env;
    private final Builder b;
    private String providerUsed = "CPU";

    SessionFactory(OrtEnvironment env, Builder b) {
      this.env = env;
      this.b = b;
    }

    OrtSession open() throws OrtException {
      ExecutionProvider p = b.provider;
      if (p.kind() == ExecutionProvider.Kind.CPU) {
        return openOn(false);
      }
      Optional<String> why = b.cudaProbe.whyUnavailable();
      if (why.isPresent()) {
        return fallback(p, why.get(), null);
      }
      try {
        OrtSession s = openOn(true);
        providerUsed = "CUDA:" + p.deviceId();
        LOG.info("model '{}' runs on CUDA device {}", b.name, p.deviceId());
        return s;
      } catch (OrtException e) {
        return fallback(p, "ONNX Runtime could not use CUDA: " + e.getMessage(), e);
      }
    }

    private OrtSession fallback(ExecutionProvider p, String why, Exception cause) throws OrtException {
      if (p.strict()) {
        throw new ModelLoadException("CUDA device " + p.deviceId() + " was required but " + why, cause);
      }
      if (p.kind() == ExecutionProvider.Kind.AUTO) {
        LOG.info("model '{}' runs on the CPU: {}", b.name, why);
      } else {
        LOG.warn("CUDA device {} requested for model '{}' but {}; falling back to the CPU", p.deviceId(), b.name, why);
      }
      providerUsed = "CPU";
      return openOn(false);
    }

    private OrtSession openOn(boolean cuda) throws OrtException {
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        if (b.intraOpThreads > 0) {
          options.setIntraOpNumThreads(b.intraOpThreads);
        }
        options.addConfigEntry("session.intra_op.allow_spinning", b.allowSpinning ? "1" : "0");
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (cuda) {
          options.addCUDA(b.provider.deviceId());
        }
        return b.modelPath != null
            ? env.createSession(b.modelPath.toString(), options)
            : env.createSession(b.modelBytes, options);
      }
    }
  }
}
