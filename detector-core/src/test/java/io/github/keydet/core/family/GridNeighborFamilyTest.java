package io.github.keydet.core.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.GridNeighborDecoder;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import io.github.keydet.core.tta.FlipTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link GridNeighborFamily}: head table, decoder settings, the mirrored flip rule, rows. */
class GridNeighborFamilyTest {
  private static final DetectorFamily FAMILY = Families.named("gridneighbor");

  private static ModelSpec spec(int labels, List<Integer> flags) {
    return ModelSpec.builder().setFamily(ModelFamily.of("GRIDNEIGHBOR"))
        .optLabels(IntStream.range(0, labels).mapToObj(i -> "c" + i).toList()).optGridPoints(flags).build();
  }

  @Test
  void headsHaveCTimesPAndTwoPChannels() {
    List<HeadSpec> heads = FAMILY.heads(spec(80, List.of(0, 4, 8)));
    assertThat(heads).extracting(HeadSpec::name).containsExactly("hm", "wh", "reg");
    assertThat(heads.get(0).acceptsChannels(240)).isTrue();
    assertThat(heads.get(0).acceptsChannels(80)).isFalse();
    assertThat(heads.get(1).acceptsChannels(6)).isTrue();
    assertThat(heads.get(1).acceptsChannels(2)).isFalse();
    // unknown classes: any multiple of P
    HeadSpec hm = FAMILY.heads(spec(0, List.of(0, 8))).get(0);
    assertThat(hm.acceptsChannels(26)).isTrue();
    assertThat(hm.acceptsChannels(27)).isFalse();
    // the upstream default flags 0, 4, 8 without grid points in the spec
    assertThat(FAMILY.heads(spec(2, List.of())).get(0).acceptsChannels(6)).isTrue();
    assertThatThrownBy(() -> FAMILY.heads(spec(2, List.of(0, 9)))).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("9");
    Map<String, long[]> outputs = Map.of("hm", new long[] {1, 80, 128, 128}, "wh", new long[] {1, 6, 128, 128});
    assertThatThrownBy(() -> HeadContract.resolve(FAMILY, spec(80, List.of(0, 4, 8)), outputs))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("'hm'").hasMessageContaining("240");
    assertThat(FAMILY.recognises(java.util.Set.of("hm", "wh", "reg"))).isFalse();
    Map<String, long[]> twoFlags = Map.of("hm", new long[] {1, 6, 16, 16}, "wh", new long[] {1, 4, 16, 16});
    assertThatThrownBy(() -> HeadContract.resolve(FAMILY, spec(0, List.of()), twoFlags))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("'wh'").hasMessageContaining("6 = 2P")
        .hasMessageContaining("[0, 4, 8], the default");
  }

  @Test
  void decoderTakesFlagsFromTheOptionsElseTheSpec() {
    ModelSpec s = spec(1, List.of(0, 8));
    GridNeighborDecoder fromSpec = (GridNeighborDecoder) FAMILY.decoder(s, DecodeOptions.defaults());
    assertThat(fromSpec.config().flags()).containsExactly(0, 8);
    assertThat(fromSpec.config().geometry()).isEqualTo(GridNeighborDecoder.BoxGeometry.TRAINING);
    assertThat(fromSpec.config().k()).isEqualTo(100);
    DecodeOptions o = DecodeOptions.builder().optK(7).optFamilySetting("point-flags", "1,3,5")
        .optFamilySetting("box-geometry", "centered").build();
    GridNeighborDecoder fromOptions = (GridNeighborDecoder) FAMILY.decoder(s, o);
    assertThat(fromOptions.config().flags()).containsExactly(1, 3, 5);
    assertThat(fromOptions.config().geometry()).isEqualTo(GridNeighborDecoder.BoxGeometry.CENTERED);
    assertThat(fromOptions.config().k()).isEqualTo(7);
    assertThatThrownBy(() -> FAMILY.decoder(s, DecodeOptions.builder().optFamilySetting("point-flags", "2,2").build()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("2 is repeated");
    assertThatThrownBy(() -> FAMILY.decoder(s, DecodeOptions.builder().optFamilySetting("box-geometry", "x").build()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("'x'");
  }

  @Test
  void flipTestNeedsEveryMirroredFlag() {
    assertThatThrownBy(() -> FAMILY.flipRules(spec(1, List.of(0, 4, 8))))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("flag 0 mirrors to 2");
    FlipRules rules = FAMILY.flipRules(spec(2, List.of(0, 2, 4))).orElseThrow();
    assertThat(rules.rule("hm", 6).channelOrder()).containsExactly(1, 0, 2, 4, 3, 5);
    assertThat(rules.rule("wh", 6).channelOrder()).containsExactly(2, 3, 0, 1, 4, 5);
    assertThat(rules.rule("wh", 6).signs()).containsExactly((float) (1.0 / 3), 1f, 3f, 1f, 1f, 1f);
    assertThat(rules.rule("reg", 6).keepsOriginal()).isTrue();
    assertThat(rules.isHeatmap("hm")).isTrue();
  }

  /**
   * The heads a perfect model gives for one box (training targets' geometry), and for the mirrored image: merged by
   * the family's flip rule, they decode to the same box.
   */
  @Test
  void mergedFlipHeadsDecodeToTheOriginalBox() {
    int[] flags = {0, 2, 3, 4, 5, 6, 8};
    int w = 16;
    int h = 12;
    float[] box = {2.3f, 3.1f, 10.6f, 9.4f};
    float[] mirroredBox = {w - box[2], box[1], w - box[0], box[3]};
    ModelSpec s = spec(1, IntStream.of(flags).boxed().toList());
    Heads original = idealHeads(flags, box, w, h);
    // the network's heads on the mirrored image (FlipTest.mergeHeads reads them at column W - 1 - x)
    Heads mirrored = idealHeads(flags, mirroredBox, w, h);
    Heads merged = FlipTest.mergeHeads(original, mirrored, FAMILY.flipRules(s).orElseThrow(),
        Activation.PROBABILITIES);
    // merged heat maps are probabilities (OnnxDetector decodes them with a probability decoder)
    ModelSpec probabilities = s.toBuilder().optHeatmaps(Activation.PROBABILITIES).build();
    List<Candidate> got =
        FAMILY.decoder(probabilities, DecodeOptions.builder().optK(1).build()).decode(merged).get(0);
    assertThat(got).hasSize(flags.length);
    for (Candidate c : got) {
      assertThat(c.score()).as("flag %d: %s", c.pointId(), java.util.Arrays.toString(new float[] {c.score(), c.x1(), c.y1(), c.x2(), c.y2()})).isEqualTo(0.9f);
      assertThat(new float[] {c.x1(), c.y1(), c.x2(), c.y2()}).as("flag %d", c.pointId())
          .containsExactly(box, within(1e-4f));
    }
  }

  /** NCHW heads with one peak per flag at the training target's point of {@code box}. */
  private static Heads idealHeads(int[] flags, float[] box, int w, int h) {
    int p = flags.length;
    float[] hm = new float[p * h * w];
    float[] wh = new float[2 * p * h * w];
    float[] reg = new float[2 * p * h * w];
    for (int i = 0; i < p; i++) {
      int row = flags[i] / 3;
      int col = flags[i] % 3;
      float px = ((3 - col) * box[0] + (1 + col) * box[2]) / 4;
      float py = ((3 - row) * box[1] + (1 + row) * box[3]) / 4;
      int cx = (int) px;
      int cy = (int) py;
      int at = cy * w + cx;
      hm[i * h * w + at] = 0.9f;
      wh[2 * i * h * w + at] = px - box[0];
      wh[(2 * i + 1) * h * w + at] = py - box[1];
      reg[2 * i * h * w + at] = px - cx;
      reg[(2 * i + 1) * h * w + at] = py - cy;
    }
    Map<String, HeadView> views = new LinkedHashMap<>();
    views.put("hm", HeadView.of("hm", hm, new long[] {1, p, h, w}, Layout.NCHW));
    views.put("wh", HeadView.of("wh", wh, new long[] {1, 2 * p, h, w}, Layout.NCHW));
    views.put("reg", HeadView.of("reg", reg, new long[] {1, 2 * p, h, w}, Layout.NCHW));
    return Heads.ofViews(views, Layout.NCHW);
  }

  @Test
  void rowsCarryThePointFlag() {
    Map<String, Object> row = new LinkedHashMap<>();
    FAMILY.writeRow(new Candidate(1, 2, 3, 4, 0.5f, 0, new float[] {2, 3}, new float[] {0.5f}, null, 8), row);
    assertThat(row).containsOnlyKeys("point").containsEntry("point", 8);
  }
}
