package io.github.keydet.core.family;

import static io.github.keydet.core.family.HeadSpec.Channels.exactly;
import static io.github.keydet.core.family.HeadSpec.Channels.exactlyIfKnown;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.coco.CocoAnnotation;
import io.github.keydet.core.encode.ObjectAnnotation;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.decode.MultiPoseDecoder;
import io.github.keydet.core.decode.MultiPoseDecoder.JointSnapping;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.HeadFlip;
import java.util.List;

/**
 * The heads of the Enhanced-CenterNet landmark families (300W faces, DeepFashion2 clothes), whose joint count J the
 * decoder takes from {@code hps} as the upstream does ({@code num_joints = kps.shape[1] // 2}), and their flip
 * rules from a left/right partner table. Stateless.
 */
final class JointHeads {
  private JointHeads() {}

  /** {@code hm} C, {@code wh} 2, {@code hps} 2J, optional {@code reg} 2, {@code hm_hp} J, {@code hp_offset} 2. */
  static List<HeadSpec> heads(ModelSpec spec) {
    return List.of(
        HeadSpec.heatmap("hm", exactlyIfKnown(Rows.classes(spec))),
        HeadSpec.required("wh", exactly(2)),
        HeadSpec.required("hps", new HeadSpec.Channels("an even number (x, y per landmark)", c -> c > 0 && c % 2 == 0)),
        HeadSpec.optional("reg", exactly(2)),
        HeadSpec.optionalHeatmap("hm_hp", HeadSpec.Channels.any()),
        HeadSpec.optional("hp_offset", exactly(2)));
  }

  /** Each joint's partner from symmetric pairs (0-based); unpaired joints are their own. */
  static int[] partners(int joints, int[][] pairs) {
    int[] p = new int[joints];
    for (int j = 0; j < joints; j++) {
      p[j] = j;
    }
    for (int[] pair : pairs) {
      p[pair[0]] = pair[1];
      p[pair[1]] = pair[0];
    }
    return p;
  }

  /** {@code hps}: the partner's (x, y) channels, x negated (the upstream {@code *_flip_lr_off}). */
  static HeadFlip offsets(int[] partner) {
    int[] order = new int[2 * partner.length];
    float[] signs = new float[2 * partner.length];
    for (int j = 0; j < partner.length; j++) {
      order[2 * j] = 2 * partner[j];
      order[2 * j + 1] = 2 * partner[j] + 1;
      signs[2 * j] = -1f;
      signs[2 * j + 1] = 1f;
    }
    return HeadFlip.permuted(order, signs);
  }

  /** The annotation's keypoints added to {@code box}, which every joint family's targets need. */
  static ObjectAnnotation withKeypoints(ModelFamily family, CocoAnnotation annotation, ObjectAnnotation box) {
    if (annotation.keypoints() == null) {
      throw new InvalidInputException(
          "annotation " + annotation.id() + " has no keypoints; " + family + " needs them");
    }
    return box.withKeypoints(annotation.keypointsAsFloats());
  }

  /** The joint decoder of every joint family with the given snapping of regressed joints to heat-map joints. */
  static HeadDecoder decoder(ModelSpec spec, DecodeOptions o, int k, JointSnapping snapping) {
    return new MultiPoseDecoder(new MultiPoseDecoder.Config(k, o.kernel(), spec.heatmaps(), spec.layout(),
        o.jointThreshold(), o.jointDistanceRatio(), snapping));
  }
}
