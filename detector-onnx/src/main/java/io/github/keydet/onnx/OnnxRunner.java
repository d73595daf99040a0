package io.github.keydet.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.keydet.api.InferenceException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.image.PreparedInput;
import io.github.keydet.core.pipeline.Network;
import io.github.keydet.core.pipeline.NetworkRun;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs an ONNX Runtime session as the pipeline's {@link Network}: reads the input in place from a pooled direct
 * buffer it lent (a heap input is copied into one), runs, and exposes the family's heads in place — in pooled output buffers when every head's shape is known up to
 * the batch size (ONNX Runtime writes into them), else in ONNX Runtime's own result, released when the run is
 * closed. Thread-safe (ONNX Runtime sessions are; the pools are bounded). Does not own the session.
 */
final class OnnxRunner implements Network {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;
  private final String modelName;
  private final Layout layout;
  /** Canonical head name to ONNX output name, for the heads this family decodes, in the family's order. */
  private final Map<String, String> headOrder;
  /** Pinned output buffers when every head's shape is known up to the batch size; otherwise null. */
  private final OutputBuffers outputBuffers;
  private final InputBuffers inputBuffers;
  /** Which session each run uses and how many run at once; the other callers wait their turn in arrival order. */
  private final RunSlots runs;

  OnnxRunner(OrtEnvironment env, OrtSession session, String inputName, String modelName, Layout layout,
      Map<String, String> headOutputs, Map<String, NodeInfo> outputs, RunSlots runs) {
    this.env = env;
    this.session = session;
    this.inputName = inputName;
    this.modelName = modelName;
    this.layout = layout;
    this.headOrder = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headOutputs));
    int pool = Math.max(2, Runtime.getRuntime().availableProcessors());
    this.outputBuffers = pinnableOutputs(headOutputs, outputs, pool);
    this.inputBuffers = new InputBuffers(pool);
    this.runs = runs;
  }

  /**
   * Runs once its slots are free ({@link RunSlots}: a bounded number of callers are inside ONNX Runtime, so that
   * its threads do not oversubscribe the cores and its per-run memory stays bounded); the slots are given back as
   * soon as the run returns, so one caller decodes while the next one runs. The run executes on one of the
   * detector's run threads ({@link RunSlots#run}), the decoding on the caller's.
   */
  @Override
  public NetworkRun run(FloatBuffer data, long[] shape) {
    return runs.run(session -> {
      if (data.isDirect()) {
        // the pipeline's input, written by the preprocessor into a buffer of ours: read in place
        return run(session, data.duplicate().position(0), shape, 0);
      }
      long t0 = System.nanoTime();
      FloatBuffer in = inputBuffers.copyOf(data);
      long inputNanos = System.nanoTime() - t0;
      try {
        return run(session, in, shape, inputNanos);
      } finally {
        // the run is over (its input tensor closed) whether it returned or threw
        inputBuffers.giveBack(in);
      }
    });
  }

  @Override
  public FloatBuffer borrowInput(int floats) {
    return inputBuffers.borrow(floats);
  }

  @Override
  public void returnInput(FloatBuffer buffer) {
    inputBuffers.giveBack(buffer);
  }

  private NetworkRun run(OrtSession session, FloatBuffer data, long[] shape, long inputNanos) {
    int n = (int) shape[0];
    if (outputBuffers != null) {
      Map<String, ByteBuffer> buffers = outputBuffers.borrow(n);
      Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
      Runnable release = () -> {
        pinned.values().forEach(OnnxTensor::close);
        outputBuffers.giveBack(n, buffers);
      };
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, shape)) {
        Map<String, HeadView> views = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : headOrder.entrySet()) {
          long[] outShape = outputBuffers.shape(e.getValue(), n);
          FloatBuffer fb = buffers.get(e.getValue()).asFloatBuffer();
          pinned.put(e.getValue(), OnnxTensor.createTensor(env, fb, outShape));
          views.put(e.getKey(), HeadView.of(e.getKey(), fb, outShape, layout));
        }
        long start = System.nanoTime();
        try (OrtSession.Result result = session.run(Map.of(inputName, tensor), pinned)) {
          long took = System.nanoTime() - start;
          return new NetworkRun(Heads.ofViews(views, layout), inputNanos, took, release);
        }
      } catch (OrtException | RuntimeException e) {
        release.run();
        throw wrap(e);
      }
    }
    OrtSession.Result result = null;
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, shape)) {
      long start = System.nanoTime();
      result = session.run(Map.of(inputName, tensor), new LinkedHashSet<>(headOrder.values()));
      long took = System.nanoTime() - start;
      OrtSession.Result owned = result;
      return new NetworkRun(headsOf(result), inputNanos, took, owned::close);
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
    return new InferenceException("ONNX Runtime failed on model '" + modelName + "': " + e.getMessage(), e);
  }

  /**
   * Runs the network on a prepared input and returns copies of the named outputs (all outputs when
   * {@code outputNames} is empty), for tools and tests that look at raw heads.
   */
  Map<String, RawTensor> runRaw(PreparedInput input, Set<String> outputNames) {
    Set<String> wanted = outputNames.isEmpty() ? session.getOutputNames() : outputNames;
    for (String name : wanted) {
      if (!session.getOutputNames().contains(name)) {
        throw new InvalidInputException("model has no output '" + name + "': it has " + session.getOutputNames());
      }
    }
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, input.values().duplicate().position(0), input.shape());
        OrtSession.Result result = session.run(Map.of(inputName, tensor), new LinkedHashSet<>(wanted))) {
      Map<String, RawTensor> out = new LinkedHashMap<>();
      for (String name : wanted) {
        OnnxTensor t = tensorOf(result, name);
        if (t.getInfo().type != OnnxJavaType.FLOAT) {
          throw new InferenceException("output '" + name + "' is " + t.getInfo().type + ", not float");
        }
        FloatBuffer fb = t.getFloatBuffer();
        float[] data = new float[fb.remaining()];
        fb.get(data);
        out.put(name, new RawTensor(data, t.getInfo().getShape()));
      }
      return out;
    } catch (OrtException e) {
      throw new InferenceException("ONNX Runtime failed on model '" + modelName + "': " + e.getMessage(), e);
    }
  }

  private Heads headsOf(OrtSession.Result result) {
    Map<String, HeadView> views = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : headOrder.entrySet()) {
      OnnxTensor t = tensorOf(result, e.getValue());
      if (t.getInfo().type != OnnxJavaType.FLOAT) {
        throw new InferenceException("output '" + e.getValue() + "' is " + t.getInfo().type + ", expected float");
      }
      views.put(e.getKey(), HeadView.of(e.getKey(), t.getFloatBuffer(), t.getInfo().getShape(), layout));
    }
    return Heads.ofViews(views, layout);
  }

  private static OnnxTensor tensorOf(OrtSession.Result result, String name) {
    Optional<OnnxValue> v = result.get(name);
    if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
      throw new InferenceException("model returned no tensor for output '" + name + "'");
    }
    return t;
  }

  /**
   * A buffer pool when every head output has a fixed shape apart from (possibly) the batch dimension: then ONNX
   * Runtime can write into buffers we own and the decoder reads them in place.
   */
  private static OutputBuffers pinnableOutputs(Map<String, String> heads, Map<String, NodeInfo> outputs, int pool) {
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
    return new OutputBuffers(shapes, pool);
  }
}
