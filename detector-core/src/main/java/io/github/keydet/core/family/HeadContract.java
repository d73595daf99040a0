package io.github.keydet.core.family;

import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.spec.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a model's outputs against its family's heads when the model is loaded, so that a model that does not fit
 * fails at once, naming the head, what was expected and what the model declares, instead of giving wrong
 * detections later. Stateless.
 */
public final class HeadContract {
  private HeadContract() {}

  /**
   * The family's heads that the model has, canonical name to output name, in the family's order.
   *
   * @param family the model's family
   * @param spec the model's spec (head names, labels, joints, layout)
   * @param outputShapes every output of the model with its declared shape ({@code -1} or another negative value for
   *     a dynamic dimension; {@code null} when the output is not a tensor or its shape is unknown)
   * @throws ModelLoadException when a required head is missing, a head is not rank 4, or a head's declared channel
   *     count is not one the family accepts, or heads disagree ({@link DetectorFamily#checkHeadAgreement})
   */
  public static Map<String, String> resolve(
      DetectorFamily family, ModelSpec spec, Map<String, long[]> outputShapes) {
    Map<String, String> heads = new LinkedHashMap<>();
    Map<String, Integer> channelCounts = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    family.checkOutputNames(spec, java.util.Collections.unmodifiableSet(outputShapes.keySet()));
    for (HeadSpec head : family.heads(spec)) {
      String out = spec.outputName(head.name());
      if (!outputShapes.containsKey(out)) {
        if (head.required()) {
          missing.add(out.equals(head.name()) ? "'" + out + "'" : "'" + out + "' (head '" + head.name() + "')");
        }
        continue;
      }
      long[] shape = outputShapes.get(out);
      if (shape != null) {
        if (shape.length != 4) {
          throw new ModelLoadException("output '" + out + "' (head '" + head.name()
              + "') must have rank 4, model declares " + Arrays.toString(shape));
        }
        long channels = spec.layout() == Layout.NCHW ? shape[1] : shape[3];
        if (channels >= 0 && (channels > Integer.MAX_VALUE || !head.acceptsChannels((int) channels))) {
          throw new ModelLoadException("output '" + out + "' (head '" + head.name() + "') of family "
              + family.id() + " must have " + head.channels().description() + " channels"
              + channelReason(head, spec) + ", model declares " + Arrays.toString(shape) + " (" + spec.layout()
              + ": " + channels + " channels)");
        }
        if (channels >= 0) {
          channelCounts.put(head.name(), (int) channels);
        }
      }
      heads.put(head.name(), out);
    }
    if (!missing.isEmpty()) {
      throw new ModelLoadException("missing output " + String.join(", ", missing) + " for family " + family.id()
          + ": model has " + outputShapes.keySet());
    }
    family.checkHeadAgreement(spec, channelCounts);
    return heads;
  }

  private static String channelReason(HeadSpec head, ModelSpec spec) {
    return head.heatmap() && !spec.labels().isEmpty() ? " (one per label: " + spec.labels().size() + " labels)" : "";
  }
}
