package io.github.keydet.core.encode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Encodes one sample's annotations into a family's training targets. Implementations are immutable and thread-safe
 * (all scratch memory is per call); build them with their builders.
 */
public interface TargetEncoder {

  /** Names, types and shapes of the targets, in order. */
  List<TargetSpec> specs();

  /** The geometry the encoder maps annotations with. */
  TargetGeometry geometry();

  /**
   * Writes the targets for {@code objects} into {@code out}, which must hold every spec's name with exactly its
   * type and shape as a dense C-ordered array (e.g. from {@link #allocate()}); all previous contents are cleared.
   *
   * @throws io.github.keydet.api.InvalidInputException for a class id out of range, missing keypoints / extreme
   *     points / 3D data the family needs, or arrays of the wrong shape or type
   */
  void encodeInto(List<ObjectAnnotation> objects, TargetSet out);

  /** Zero-filled arrays for every spec. */
  default TargetSet allocate() {
    Map<String, INDArray> m = new LinkedHashMap<>();
    for (TargetSpec s : specs()) {
      m.put(s.name(), Nd4j.zeros(s.dataType(), s.shape()));
    }
    return new TargetSet(m);
  }

  /** New target arrays for {@code objects}. The caller owns (and should close) the result. */
  default TargetSet encode(List<ObjectAnnotation> objects) {
    TargetSet t = allocate();
    try {
      encodeInto(objects, t);
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }
}
