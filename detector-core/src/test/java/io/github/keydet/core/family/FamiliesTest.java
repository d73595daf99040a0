package io.github.keydet.core.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import io.github.keydet.core.tta.FlipTest;
import io.github.keydet.core.tta.HeadFlip;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The family registry, the head contract checked at load time, and each family's flip rules, by hand. */
class FamiliesTest {
  private static ModelSpec spec(ModelFamily f, int labels) {
    return ModelSpec.builder().setFamily(f)
        .optLabels(IntStream.range(0, labels).mapToObj(i -> "c" + i).toList()).build();
  }

  @Test
  void registryHoldsEveryBuiltInFamilyOnce() {
    assertThat(Families.ids()).containsExactlyInAnyOrder(ModelFamily.CENTERNET, ModelFamily.TTFNET_LTRB,
        ModelFamily.CORNERNET, ModelFamily.CENTERNET_TRIPLETS, ModelFamily.EXTREMENET, ModelFamily.MULTI_POSE,
        ModelFamily.DDD, ModelFamily.of("GRIDNEIGHBOR"),
        ModelFamily.of("LANDMARK"), ModelFamily.of("DEEPFASHION2"), ModelFamily.of("TFOD_CENTERNET_POSE"),
        ModelFamily.of("CORNERNET_SACCADE"));
    for (ModelFamily id : Families.ids()) {
      assertThat(Families.of(id).id()).isEqualTo(id);
    }
    assertThat(Families.named(" multi_pose ").id()).isSameAs(ModelFamily.MULTI_POSE);
    assertThatThrownBy(() -> Families.named("yolo")).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("unknown family 'yolo'").hasMessageContaining("GRIDNEIGHBOR");
    // the former GRID_POINTS family (hm_p{i} heads) matched no real model and is gone
    assertThatThrownBy(() -> Families.named("grid_points")).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("unknown family 'grid_points'");
    assertThatThrownBy(() -> Families.of(ModelFamily.of("SOMETHING_NEW"))).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("SOMETHING_NEW");
    assertThatThrownBy(() -> Families.of(null)).isInstanceOf(InvalidConfigException.class);
  }

  @Test
  void modelsWithoutSpecAreRecognisedMostSpecificFirst() {
    Map<Set<String>, ModelFamily> cases = new LinkedHashMap<>();
    cases.put(Set.of("tl_heat", "br_heat", "tl_tag", "br_tag", "ct_heat"), ModelFamily.CENTERNET_TRIPLETS);
    cases.put(Set.of("tl_heat", "br_heat", "tl_tag", "br_tag"), ModelFamily.CORNERNET);
    cases.put(Set.of("tl_heat", "br_heat", "tl_tag", "br_tag", "att0", "att1", "att2"), ModelFamily.of("CORNERNET_SACCADE"));
    cases.put(Set.of("t_heat", "l_heat", "b_heat", "r_heat", "ct_heat"), ModelFamily.EXTREMENET);
    cases.put(Set.of("hm", "wh", "hps", "reg"), ModelFamily.MULTI_POSE);
    cases.put(Set.of("hm", "dep", "rot", "dim", "wh"), ModelFamily.DDD);
    cases.put(Set.of("hm", "ltrb"), ModelFamily.TTFNET_LTRB);
    cases.put(Set.of("hm", "wh", "reg"), ModelFamily.CENTERNET);
    cases.forEach((names, expected) ->
        assertThat(Families.infer(names).map(DetectorFamily::id)).as("%s", names).contains(expected));
    assertThat(Families.infer(Set.of("boxes", "scores"))).isEmpty();
    assertThat(Families.infer(Set.of("hm", "hm_hp"))).isEmpty();
    assertThat(Families.infer(Set.of("hm_p0", "hm_p4", "wh"))).isEmpty();
  }

  @Test
  void headsDeclareTheirChannelCounts() {
    List<HeadSpec> ct = Families.of(ModelFamily.CENTERNET).heads(spec(ModelFamily.CENTERNET, 80));
    assertThat(ct).extracting(HeadSpec::name).containsExactly("hm", "wh", "reg");
    assertThat(ct.get(0).acceptsChannels(80)).isTrue();
    assertThat(ct.get(0).acceptsChannels(79)).isFalse();
    assertThat(ct.get(1).acceptsChannels(2)).isTrue();
    assertThat(ct.get(1).acceptsChannels(160)).isTrue(); // cat_spec_wh
    assertThat(ct.get(1).acceptsChannels(4)).isFalse();
    // no labels: any class count, wh 2 or a multiple of 2
    List<HeadSpec> open = Families.of(ModelFamily.CENTERNET).heads(spec(ModelFamily.CENTERNET, 0));
    assertThat(open.get(0).acceptsChannels(7)).isTrue();
    assertThat(open.get(1).acceptsChannels(14)).isTrue();
    assertThat(open.get(1).acceptsChannels(3)).isFalse();

    List<HeadSpec> pose = Families.of(ModelFamily.MULTI_POSE).heads(spec(ModelFamily.MULTI_POSE, 1));
    assertThat(pose).extracting(HeadSpec::name).containsExactly("hm", "wh", "hps", "reg", "hm_hp", "hp_offset");
    assertThat(pose.get(2).acceptsChannels(34)).isTrue();
    assertThat(pose.get(2).acceptsChannels(17)).isFalse();
    assertThat(pose.get(4).heatmap()).isTrue();
    assertThat(pose.get(4).required()).isFalse();

    List<HeadSpec> ddd = Families.of(ModelFamily.DDD).heads(spec(ModelFamily.DDD, 3));
    assertThat(ddd).extracting(HeadSpec::name).containsExactly("hm", "dep", "rot", "dim", "wh", "reg");
    assertThat(ddd.get(2).acceptsChannels(8)).isTrue();
    assertThat(ddd.get(3).acceptsChannels(3)).isTrue();

    assertThat(Families.of(ModelFamily.CENTERNET_TRIPLETS).heads(spec(ModelFamily.CENTERNET_TRIPLETS, 0)))
        .extracting(HeadSpec::name)
        .containsExactly("tl_heat", "br_heat", "tl_tag", "br_tag", "ct_heat", "tl_regr", "br_regr", "ct_regr");
  }

  @Test
  void headContractNamesTheHeadTheExpectationAndTheShape() {
    DetectorFamily ct = Families.of(ModelFamily.CENTERNET);
    ModelSpec three = spec(ModelFamily.CENTERNET, 3);
    Map<String, long[]> good = new LinkedHashMap<>();
    good.put("hm", new long[] {-1, 3, 128, 128});
    good.put("wh", new long[] {-1, 2, 128, 128});
    good.put("extra", null);
    assertThat(HeadContract.resolve(ct, three, good)).containsExactly(Map.entry("hm", "hm"), Map.entry("wh", "wh"));

    Map<String, long[]> wrongWh = new LinkedHashMap<>(good);
    wrongWh.put("wh", new long[] {1, 4, 128, 128});
    assertThatThrownBy(() -> HeadContract.resolve(ct, three, wrongWh)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("head 'wh'").hasMessageContaining("2 or 6 channels")
        .hasMessageContaining("[1, 4, 128, 128]");

    Map<String, long[]> nhwc = new LinkedHashMap<>();
    nhwc.put("hm", new long[] {1, 128, 128, 3});
    nhwc.put("wh", new long[] {1, 128, 128, 2});
    assertThat(HeadContract.resolve(ct, three.toBuilder().optLayout(Layout.NHWC).build(), nhwc)).hasSize(2);
    assertThatThrownBy(() -> HeadContract.resolve(ct, three, nhwc)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("head 'hm'").hasMessageContaining("3 labels").hasMessageContaining("128 channels");

    Map<String, long[]> dynamic = Map.of("hm", new long[] {-1, -1, -1, -1}, "wh", new long[] {-1, -1, -1, -1});
    assertThat(HeadContract.resolve(ct, three, dynamic)).hasSize(2);

    assertThatThrownBy(() -> HeadContract.resolve(ct, three, Map.of("hm", new long[] {1, 3, 8, 8})))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("missing output 'wh'")
        .hasMessageContaining("CENTERNET");
    assertThatThrownBy(() -> HeadContract.resolve(ct, three,
        Map.of("hm", new long[] {1, 3, 8}, "wh", new long[] {1, 2, 8, 8})))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("rank 4").hasMessageContaining("[1, 3, 8]");
  }

  @Test
  void flipRulesOfEachFamily() {
    FlipRules pose = Families.of(ModelFamily.MULTI_POSE).flipRules(spec(ModelFamily.MULTI_POSE, 1)).orElseThrow();
    HeadFlip hps = pose.rule("hps", 34);
    // joint 1 (left eye) takes joint 2's (right eye) offset, x negated
    assertThat(hps.channelOrder()[2]).isEqualTo(4);
    assertThat(hps.channelOrder()[3]).isEqualTo(5);
    assertThat(hps.channelOrder()[0]).isEqualTo(0);
    assertThat(hps.signs()[2]).isEqualTo(-1f);
    assertThat(hps.signs()[3]).isEqualTo(1f);
    assertThat(pose.rule("hm_hp", 17).channelOrder()).startsWith(0, 2, 1, 4, 3);
    assertThat(pose.rule("hp_offset", 2).keepsOriginal()).isTrue();
    assertThat(pose.rule("reg", 2).keepsOriginal()).isTrue();
    assertThat(pose.rule("wh", 2)).isEqualTo(HeadFlip.average());
    assertThat(pose.isHeatmap("hm")).isTrue();
    assertThat(pose.isHeatmap("hm_hp")).isTrue();
    assertThat(pose.isHeatmap("hps")).isFalse();

    FlipRules ltrb = Families.of(ModelFamily.TTFNET_LTRB).flipRules(spec(ModelFamily.TTFNET_LTRB, 0)).orElseThrow();
    assertThat(ltrb.rule("ltrb", 4).channelOrder()).containsExactly(2, 1, 0, 3);

    FlipRules ddd = Families.of(ModelFamily.DDD).flipRules(spec(ModelFamily.DDD, 3)).orElseThrow();
    assertThat(ddd.rule("rot", 8).keepsOriginal()).isTrue();
    assertThat(ddd.rule("dep", 1).keepsOriginal()).isFalse();
    assertThat(ddd.rule("dim", 3).keepsOriginal()).isFalse();

    FlipRules ex = Families.of(ModelFamily.EXTREMENET).flipRules(spec(ModelFamily.EXTREMENET, 0)).orElseThrow();
    assertThat(ex.rule("l_heat", 1).source()).isEqualTo("r_heat");
    assertThat(ex.rule("t_regr", 2).keepsOriginal()).isTrue();
    assertThat(ex.isHeatmap("ct_heat")).isTrue();

    assertThat(Families.of(ModelFamily.CORNERNET).flipRules(spec(ModelFamily.CORNERNET, 0))).isEmpty();
    assertThat(Families.of(ModelFamily.CENTERNET_TRIPLETS).flipRules(spec(ModelFamily.CENTERNET_TRIPLETS, 0)))
        .isEqualTo(Optional.empty());
  }

  @Test
  void extremeNetFlipAveragesLeftWithTheMirrorsRight() {
    // 1x1 class, 1 row, 2 columns; probabilities. l = [0.2, 0.4]; mirror's r = [0.6, 0.8]
    Map<String, HeadView> a = new LinkedHashMap<>();
    Map<String, HeadView> b = new LinkedHashMap<>();
    for (String n : List.of("t_heat", "l_heat", "b_heat", "r_heat", "ct_heat")) {
      a.put(n, view(n, n.equals("l_heat") ? new float[] {0.2f, 0.4f} : new float[] {0.1f, 0.3f}));
      b.put(n, view(n, n.equals("r_heat") ? new float[] {0.6f, 0.8f} : new float[] {0.5f, 0.7f}));
    }
    FlipRules rules = Families.of(ModelFamily.EXTREMENET).flipRules(spec(ModelFamily.EXTREMENET, 1)).orElseThrow();
    Heads merged = FlipTest.mergeHeads(Heads.ofViews(a, Layout.NCHW), Heads.ofViews(b, Layout.NCHW), rules,
        Activation.PROBABILITIES);
    // l[x] = (l[x] + r'[W-1-x]) / 2: (0.2 + 0.8) / 2, (0.4 + 0.6) / 2
    assertThat(merged.view("l_heat").get(0, 0, 0, 0)).isEqualTo(0.5f);
    assertThat(merged.view("l_heat").get(0, 0, 0, 1)).isEqualTo(0.5f);
    // t[x] = (t[x] + t'[W-1-x]) / 2: (0.1 + 0.7) / 2, (0.3 + 0.5) / 2
    assertThat(merged.view("t_heat").get(0, 0, 0, 0)).isEqualTo(0.4f);
    // r[x] = (r[x] + l'[W-1-x]) / 2: (0.1 + 0.7) / 2
    assertThat(merged.view("r_heat").get(0, 0, 0, 0)).isEqualTo(0.4f);
  }

  private static HeadView view(String name, float[] values) {
    return HeadView.of(name, FloatBuffer.wrap(values), new long[] {1, 1, 1, values.length}, Layout.NCHW);
  }

  @Test
  void everyFamilyWithTargetsBuildsItsEncoderAndTheOthersSayWhich() {
    TargetGeometry g = TargetGeometry.builder(64, 64).build();
    for (DetectorFamily f : Families.all()) {
      if (f.hasTargets()) {
        assertThat(f.encoder(g, 2, io.github.keydet.core.encode.TargetOptions.defaults())).as("%s", f.id()).isNotNull();
      } else {
        assertThatThrownBy(() -> f.encoder(g, 2, io.github.keydet.core.encode.TargetOptions.defaults())).isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining(f.id().id()).hasMessageContaining("CENTERNET");
      }
    }
    TargetGeometry corner = Families.of(ModelFamily.CORNERNET).targetGeometry(640, 480, io.github.keydet.core.encode.TargetOptions.defaults());
    assertThat(corner.inputWidth()).isEqualTo(511);
    assertThat(corner.outputWidth()).isEqualTo(128);
    assertThat(Families.of(ModelFamily.CENTERNET).targetGeometry(640, 480, io.github.keydet.core.encode.TargetOptions.defaults()).outputWidth()).isEqualTo(128);
  }

  @Test
  void decodeOptionsKeepTheCommandLineSpelling() {
    assertThat(Families.all().stream().flatMap(f -> f.decodeOptions().stream()).map(FamilyOption::name).distinct())
        .containsExactlyInAnyOrder("--ae-threshold", "--aggr-weight", "--class-agnostic", "--scores-thresh",
            "--center-thresh", "--joint-thresh", "--joint-dist-ratio", "--depth-metres",
            "--point-flags", "--box-geometry", "--reg-only", "--pose-rule", "--no-border");
    assertThat(Families.of(ModelFamily.CORNERNET).defaultK()).isEqualTo(100);
    assertThat(Families.of(ModelFamily.CENTERNET_TRIPLETS).defaultK()).isEqualTo(70);
    assertThat(Families.of(ModelFamily.EXTREMENET).defaultK()).isEqualTo(40);
    assertThat(Families.of(ModelFamily.CORNERNET).nativeHeatmaps()).isEqualTo(Activation.LOGITS);
    assertThat(Families.of(ModelFamily.CENTERNET).nativeHeatmaps()).isEqualTo(Activation.PROBABILITIES);
  }
}
