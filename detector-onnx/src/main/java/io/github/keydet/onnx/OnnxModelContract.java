package io.github.keydet.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.family.DetectorFamily;
import io.github.keydet.core.family.Families;
import io.github.keydet.core.family.HeadContract;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.spec.ResizeMode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a loaded model is and whether it fits: its spec (the caller's, else its metadata's, else inferred from its
 * output names), its family, its one image input (rank 4, float32, 3 channels, the spec's size) and its outputs
 * (the family's heads: present, float32 tensors, rank 4, channel counts as declared). Every misfit is a {@link
 * ModelLoadException} naming the input or head, the expected and the declared shape. Immutable.
 *
 * @param spec the model's spec
 * @param family its family
 * @param inputName the image input's name
 * @param dynamicBatch whether the input's batch dimension is dynamic
 * @param headOutputs canonical head name to output name, in the family's head order
 */
record OnnxModelContract(
    ModelSpec spec, DetectorFamily family, String inputName, boolean dynamicBatch, Map<String, String> headOutputs) {
  // logged under the detector's name, where users look for what was loaded
  private static final Logger LOG = LoggerFactory.getLogger(OnnxDetector.class);

  /**
   * Resolves and checks a session's model.
   *
   * @param given the caller's spec, or null
   * @param name the model's display name, for messages
   */
  static OnnxModelContract of(OrtSession session, ModelSpec given, String name) throws OrtException {
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    ModelSpec spec = resolveSpec(given, session, name);
    DetectorFamily family;
    try {
      family = Families.of(spec.family());
    } catch (InvalidConfigException e) {
      throw new ModelLoadException("model '" + name + "': " + e.getMessage(), e);
    }
    Map.Entry<String, NodeInfo> input = checkInput(session.getInputInfo(), spec);
    long batchDim = ((TensorInfo) input.getValue().getInfo()).getShape()[0];
    if (family.searchesByAttention() && batchDim >= 0) {
      throw new ModelLoadException("input '" + input.getKey() + "' has a fixed batch of " + batchDim + "; family "
          + family.id() + " runs its canvases and crops in batches: export it with a dynamic batch dimension");
    }
    Map<String, String> heads = HeadContract.resolve(family, spec, declaredShapes(outputs));
    for (Map.Entry<String, String> h : heads.entrySet()) {
      NodeInfo out = outputs.get(h.getValue());
      if (!(out.getInfo() instanceof TensorInfo ti) || ti.type != OnnxJavaType.FLOAT) {
        String type = out.getInfo() instanceof TensorInfo ti ? String.valueOf(ti.type) : "not a tensor";
        throw new ModelLoadException("output '" + h.getValue() + "' (head '" + h.getKey() + "') is " + type
            + "; KeyDet reads float32 heads (export the model with float outputs)");
      }
    }
    return new OnnxModelContract(spec, family, input.getKey(), batchDim < 0,
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(heads)));
  }

  private static ModelSpec resolveSpec(ModelSpec given, OrtSession session, String name) throws OrtException {
    if (given != null) {
      return given;
    }
    Map<String, String> metadata = session.getMetadata().getCustomMetadata();
    if (ModelSpec.hasSpec(metadata)) {
      return ModelSpec.fromMetadata(metadata);
    }
    var outputNames = session.getOutputInfo().keySet();
    ModelFamily family = Families.infer(outputNames).map(DetectorFamily::id).orElseThrow(() -> new ModelLoadException(
        "model '" + name + "' has no KeyDet spec in its metadata and its outputs " + outputNames
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
    LOG.info("model '{}' has no KeyDet metadata: inferred family {} from its outputs {}", name, family, outputNames);
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

  /** Every output's declared shape, null for outputs that are not tensors. */
  private static Map<String, long[]> declaredShapes(Map<String, NodeInfo> outputs) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (Map.Entry<String, NodeInfo> e : outputs.entrySet()) {
      shapes.put(e.getKey(), e.getValue().getInfo() instanceof TensorInfo ti ? ti.getShape() : null);
    }
    return shapes;
  }
}
