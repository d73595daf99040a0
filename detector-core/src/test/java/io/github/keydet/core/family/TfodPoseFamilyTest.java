package io.github.keydet.core.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.ModelFamily;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.MultiPoseDecoder;
import io.github.keydet.core.decode.TfodAsMultiPose;
import io.github.keydet.core.decode.TfodPoseDecoder;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.spec.ModelSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TfodPoseFamilyTest {
  private static final DetectorFamily FAMILY = Families.named("tfod_centernet_pose");
  private static final int S = 8;

  private static ModelSpec spec() {
    return ModelSpec.builder().setFamily(ModelFamily.of("TFOD_CENTERNET_POSE")).optLayout(Layout.NHWC)
        .optHeadName("center", "center_0").optHeadName("box_scale", "box_scale_0")
        .optHeadName("box_offset", "box_offset_0").optHeadName("kpt_heatmap", "kpt_heatmap_0")
        .optHeadName("kpt_regress", "kpt_regress_0").optHeadName("kpt_offset", "kpt_offset_0").build();
  }

  private static Map<String, long[]> shapes(int heat, int regress, int offset) {
    Map<String, long[]> m = new LinkedHashMap<>();
    m.put("center_0", new long[] {1, 64, 64, 1});
    m.put("box_scale_0", new long[] {1, 64, 64, 2});
    m.put("box_offset_0", new long[] {1, 64, 64, 2});
    m.put("kpt_heatmap_0", new long[] {1, 64, 64, heat});
    m.put("kpt_regress_0", new long[] {1, 64, 64, regress});
    m.put("kpt_offset_0", new long[] {1, 64, 64, offset});
    m.put("Identity", new long[] {1, 6, 56});
    return m;
  }

  @Test
  void keypointHeadsMustAgreeOnTheNumberOfJointsAtLoad() {
    assertThat(HeadContract.resolve(FAMILY, spec(), shapes(17, 34, 34))).containsEntry("kpt_regress", "kpt_regress_0")
        .hasSize(6);
    assertThatThrownBy(() -> HeadContract.resolve(FAMILY, spec(), shapes(17, 36, 34)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("keypoint heads of family TFOD_CENTERNET_POSE disagree on the number of joints: 'kpt_heatmap_0'"
            + " (head 'kpt_heatmap') has 17 channels = 17 joints, 'kpt_regress_0' (head 'kpt_regress') has 36 = 18.0"
            + " x 2, 'kpt_offset_0' (head 'kpt_offset') has 34 = 17.0 x 2");
    assertThatThrownBy(() -> HeadContract.resolve(FAMILY, spec(), shapes(17, 34, 33)))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("'kpt_offset_0' (head 'kpt_offset')")
        .hasMessageContaining("an even number");
  }

  @Test
  void theRuleIsTheGraphsByDefaultAndMultiPoseOnRequest() {
    assertThat(FAMILY.decoder(spec(), DecodeOptions.defaults())).isInstanceOf(TfodPoseDecoder.class);
    assertThat(FAMILY.decoder(spec(), DecodeOptions.builder().optFamilySetting("pose-rule", "multi_pose").build()))
        .isInstanceOf(TfodAsMultiPose.class);
    assertThatThrownBy(() -> FAMILY.decoder(spec(), DecodeOptions.builder().optFamilySetting("pose-rule", "x").build()))
        .hasMessage("pose-rule must be 'tfod' or 'multi_pose', got 'x'");
  }

  /** NHWC [1, 8, 8, c] with the given (y, x, channel, value) entries, zeros elsewhere. */
  private static HeadView map(String name, int c, float... yxcv) {
    float[] a = new float[S * S * c];
    for (int i = 0; i < yxcv.length; i += 4) {
      a[((int) yxcv[i] * S + (int) yxcv[i + 1]) * c + (int) yxcv[i + 2]] = yxcv[i + 3];
    }
    return HeadView.of(name, a, new long[] {1, S, S, c}, Layout.NHWC);
  }

  /** One person at cell (3, 5), one joint; see the hand computation in the test. */
  private static Map<String, HeadView> scene() {
    Map<String, HeadView> m = new LinkedHashMap<>();
    m.put("center", map("center", 1, 3, 5, 0, 0.9f));
    m.put("box_scale", map("box_scale", 2, 3, 5, 0, 4f, 3, 5, 1, 2f));
    m.put("box_offset", map("box_offset", 2, 3, 5, 0, 0.5f, 3, 5, 1, 0.25f));
    m.put("kpt_heatmap", map("kpt_heatmap", 1, 4, 5, 0, 0.8f, 0, 0, 0, 0.95f));
    m.put("kpt_regress", map("kpt_regress", 2, 3, 5, 0, 1f, 3, 5, 1, -0.5f));
    m.put("kpt_offset", map("kpt_offset", 2, 4, 5, 0, 0.25f, 4, 5, 1, -0.125f));
    return m;
  }

  @Test
  void graphRuleOnAHandMadeScene() {
    TfodPoseDecoder d = new TfodPoseDecoder(TfodPoseDecoder.Config.movenet(1, Activation.PROBABILITIES, Layout.NHWC));
    Candidate c = d.decode(Heads.ofViews(scene(), Layout.NHWC)).get(0).get(0);
    // centre (3 + 0.5, 5 + 0.25), h 4, w 2 -> y 1.5..5.5, x 4.25..6.25
    assertThat(new float[] {c.x1(), c.y1(), c.x2(), c.y2()}).containsExactly(4.25f, 1.5f, 6.25f, 5.5f);
    // regressed joint (4, 4.5); the 0.95 at (0, 0) is outside the box; (4, 5): d^2 0.25, sigma 8 * 0.300048828125
    double w = Math.exp(-0.25 / (8 * 0.300048828125));
    assertThat(c.points()).containsExactly(5 - 0.125f, 4 + 0.25f);
    assertThat((double) c.pointScores()[0]).isCloseTo(0.8 * w, within(1e-6));
    assertThat((double) c.score()).isCloseTo(0.9 * 0.8 * w, within(1e-6));
  }

  @Test
  void equalWeightedKeypointValuesGoToTheFirstCellInRowMajorOrder() {
    // person at (4, 4), box the whole 8x8 grid; joint 0 regressed to (4.5, 4): (4, 4) and (5, 4) are 0.5 away with
    // equal heat, so equal weighted values: the graph's argmax takes the first, (4, 4) (the decoder visits the row
    // nearest the regressed point, 5, first). Joint 1 regressed to (4, 4): (4, 3) and (4, 5) tie, (4, 3) wins.
    Map<String, HeadView> m = new LinkedHashMap<>();
    m.put("center", map("center", 1, 4, 4, 0, 0.9f));
    m.put("box_scale", map("box_scale", 2, 4, 4, 0, 8f, 4, 4, 1, 8f));
    m.put("box_offset", map("box_offset", 2));
    m.put("kpt_heatmap", map("kpt_heatmap", 2, 4, 4, 0, 0.7f, 5, 4, 0, 0.7f, 4, 3, 1, 0.6f, 4, 5, 1, 0.6f));
    m.put("kpt_regress", map("kpt_regress", 4, 4, 4, 0, 0.5f));
    m.put("kpt_offset", map("kpt_offset", 4));
    TfodPoseDecoder d = new TfodPoseDecoder(TfodPoseDecoder.Config.movenet(1, Activation.PROBABILITIES, Layout.NHWC));

    Candidate c = d.decode(Heads.ofViews(m, Layout.NHWC)).get(0).get(0);

    assertThat(c.points()).containsExactly(4f, 4f, 3f, 4f); // (x, y) of joints 0 and 1
  }

  @Test
  void multiPoseRuleOnTheSameHeadsEqualsCenterNetsDecoderOnTheHeadsInCenterNetsOrder() {
    MultiPoseDecoder.Config config = new MultiPoseDecoder.Config(1, 3, Activation.PROBABILITIES, Layout.NHWC, 0.1f, 0.3f);
    Candidate viaAdapter = new TfodAsMultiPose(new MultiPoseDecoder(config))
        .decode(Heads.ofViews(scene(), Layout.NHWC)).get(0).get(0);
    // the same scene written directly as CenterNet heads: (w, h), (x, y) offsets, (x, y) joint offsets
    Map<String, HeadView> ct = new LinkedHashMap<>();
    ct.put("hm", map("hm", 1, 3, 5, 0, 0.9f));
    ct.put("wh", map("wh", 2, 3, 5, 0, 2f, 3, 5, 1, 4f));
    ct.put("reg", map("reg", 2, 3, 5, 0, 0.25f, 3, 5, 1, 0.5f));
    ct.put("hps", map("hps", 2, 3, 5, 0, -0.5f, 3, 5, 1, 1f));
    ct.put("hm_hp", map("hm_hp", 1, 4, 5, 0, 0.8f, 0, 0, 0, 0.95f));
    Candidate direct = new MultiPoseDecoder(config).decode(Heads.ofViews(ct, Layout.NHWC)).get(0).get(0);
    assertThat(viaAdapter.x1()).isEqualTo(direct.x1());
    assertThat(viaAdapter.y2()).isEqualTo(direct.y2());
    assertThat(viaAdapter.points()).containsExactly(direct.points());
    assertThat(viaAdapter.score()).isEqualTo(direct.score());
    // multi_pose: box x 5 + 0.25 -/+ 1, y 3 + 0.5 -/+ 2; joint regressed from the integer centre (5 - 0.5, 3 + 1):
    // with K 1 the joint's only heat-map candidate is the 0.95 at (0, 0), outside the box, so it is not snapped
    assertThat(new float[] {viaAdapter.x1(), viaAdapter.y1(), viaAdapter.x2(), viaAdapter.y2()})
        .containsExactly(4.25f, 1.5f, 6.25f, 5.5f);
    assertThat(viaAdapter.points()).containsExactly(4.5f, 4f);
  }

  @Test
  void listedInTheRegistryAndRecognisedByItsOutputNames() {
    assertThat(Families.ids()).contains(ModelFamily.of("TFOD_CENTERNET_POSE"));
    assertThat(FAMILY.recognises(shapes(17, 34, 34).keySet())).isTrue();
    assertThat(FAMILY.heads(spec())).extracting(HeadSpec::name)
        .isEqualTo(List.of("center", "box_scale", "box_offset", "kpt_heatmap", "kpt_regress", "kpt_offset"));
  }
}
