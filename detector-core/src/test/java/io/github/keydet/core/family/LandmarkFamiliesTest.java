package io.github.keydet.core.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.MultiPoseDecoder;
import io.github.keydet.core.decode.MultiPoseDecoder.JointSnapping;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import io.github.keydet.core.tta.HeadFlip;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@link LandmarkFamily} and {@link DeepFashion2Family}: decoder modes, flip rules, rows, bad heads. */
class LandmarkFamiliesTest {
  private static final DetectorFamily LANDMARK = Families.named("landmark");
  private static final DetectorFamily CLOTH = Families.named("deepfashion2");

  private static ModelSpec spec(ModelFamily f) {
    return ModelSpec.builder().setFamily(f).build();
  }

  @Test
  void decodersTakeTheUpstreamSnappingRule() {
    MultiPoseDecoder gated = (MultiPoseDecoder) LANDMARK.decoder(spec(LANDMARK.id()), DecodeOptions.defaults());
    assertThat(gated.config().snapping()).isEqualTo(JointSnapping.GATED);
    assertThat(gated.config().k()).isEqualTo(100);
    MultiPoseDecoder regOnly = (MultiPoseDecoder) LANDMARK.decoder(spec(LANDMARK.id()),
        DecodeOptions.builder().optFamilySetting("reg-only", true).build());
    assertThat(regOnly.config().snapping()).isEqualTo(JointSnapping.NONE);
    MultiPoseDecoder cloth = (MultiPoseDecoder) CLOTH.decoder(spec(CLOTH.id()), DecodeOptions.defaults());
    assertThat(cloth.config().snapping()).isEqualTo(JointSnapping.ALWAYS);
    assertThat(LANDMARK.recognises(java.util.Set.of("hm", "wh", "hps"))).isFalse();
    assertThat(CLOTH.recognises(java.util.Set.of("hm", "wh", "hps"))).isFalse();
  }

  @Test
  void landmarkFlipUsesThe300wPairs() {
    FlipRules rules = LANDMARK.flipRules(spec(LANDMARK.id())).orElseThrow();
    HeadFlip hps = rules.rule("hps", 136);
    assertThat(hps.channelOrder()[2 * 36]).isEqualTo(2 * 45);
    assertThat(hps.channelOrder()[2 * 45 + 1]).isEqualTo(2 * 36 + 1);
    assertThat(hps.channelOrder()[2 * 30]).isEqualTo(2 * 30); // nose tip: its own
    assertThat(hps.signs()[2 * 36]).isEqualTo(-1f);
    assertThat(hps.signs()[2 * 36 + 1]).isEqualTo(1f);
    int[] hmHp = rules.rule("hm_hp", 68).channelOrder();
    for (int j = 0; j < 68; j++) {
      assertThat(hmHp[hmHp[j]]).isEqualTo(j);
    }
    assertThat(hmHp[0]).isEqualTo(16);
    assertThat(hmHp[67]).isEqualTo(65);
    assertThat(rules.rule("reg", 2).keepsOriginal()).isTrue();
    assertThat(rules.rule("hp_offset", 2).keepsOriginal()).isTrue();
    assertThat(rules.rule("wh", 2).channelOrder()).isNull();
    assertThatThrownBy(() -> rules.rule("hps", 38)).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("68").hasMessageContaining("19");
    assertThatThrownBy(() -> CLOTH.flipRules(spec(CLOTH.id()))).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("DEEPFASHION2");
  }

  @Test
  void clothRowsNameTheCategoryLandmarks() {
    assertThat(DeepFashion2Family.landmarkRange(0)).containsExactly(0, 25);
    assertThat(DeepFashion2Family.landmarkRange(1)).containsExactly(25, 58);
    assertThat(DeepFashion2Family.landmarkRange(12)).containsExactly(275, 294);
    assertThat(DeepFashion2Family.CATEGORIES).hasSize(13);
    Map<String, Object> row = new LinkedHashMap<>();
    CLOTH.writeRow(Candidate.withPoints(0, 0, 1, 1, 0.5f, 7, new float[2 * 294], new float[294]), row);
    assertThat(row).containsOnlyKeys("points", "landmarks");
    assertThat((int[]) row.get("landmarks")).containsExactly(168, 182);
    Map<String, Object> small = new LinkedHashMap<>();
    CLOTH.writeRow(Candidate.withPoints(0, 0, 1, 1, 0.5f, 1, new float[14], new float[7]), small);
    assertThat(small).containsOnlyKeys("points");
    Map<String, Object> face = new LinkedHashMap<>();
    LANDMARK.writeRow(Candidate.withPoints(0, 0, 1, 1, 0.5f, 0, new float[136], new float[68]), face);
    assertThat((java.util.List<?>) face.get("points")).hasSize(68);
  }

  @Test
  void channelCountsMustMatchTwoJ() {
    var hm = Nd4j.rand(DataType.FLOAT, 1, 1, 6, 6);
    var two = Nd4j.rand(DataType.FLOAT, 1, 2, 6, 6);
    Map<String, org.nd4j.linalg.api.ndarray.INDArray> odd = Map.of("hm", hm, "wh", two,
        "hps", Nd4j.rand(DataType.FLOAT, 1, 135, 6, 6));
    assertThatThrownBy(() -> LANDMARK.decoder(spec(LANDMARK.id()), DecodeOptions.builder().optK(3).build())
        .decode(Heads.nchw(odd))).isInstanceOf(InvalidInputException.class).hasMessageContaining("2J")
        .hasMessageContaining("135");
    Map<String, org.nd4j.linalg.api.ndarray.INDArray> mismatch = Map.of("hm", hm, "wh", two,
        "hps", Nd4j.rand(DataType.FLOAT, 1, 136, 6, 6), "hm_hp", Nd4j.rand(DataType.FLOAT, 1, 19, 6, 6));
    assertThatThrownBy(() -> CLOTH.decoder(spec(CLOTH.id()), DecodeOptions.builder().optK(3).build())
        .decode(Heads.nchw(mismatch))).isInstanceOf(InvalidInputException.class).hasMessageContaining("'hm_hp'")
        .hasMessageContaining("expected 68 channels");
    assertThatThrownBy(() -> LANDMARK.decoder(spec(LANDMARK.id()), DecodeOptions.builder().optK(3).build())
        .decode(Heads.nchw(Map.of("hm", hm, "wh", two)))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("missing head 'hps'");
  }
}
