package io.github.keydet.core.family;

import static io.github.keydet.core.family.HeadSpec.Channels.exactly;

import io.github.keydet.api.ModelFamily;
import io.github.keydet.api.ModelLoadException;
import io.github.keydet.core.decode.CornerNetDecoder;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.saccade.SaccadeSettings;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * CornerNet-Saccade (CornerNet-Lite): CornerNet's corner heads ({@code tl_heat}, {@code br_heat} [N, C, h, w]
 * logits, tags, offsets) on 255x255 crops, plus three attention maps {@code att0}, {@code att1}, {@code att2}
 * [N, 1, H/16, W/16], [N, 1, H/8, W/8], [N, 1, H/4, W/4] (logits; the maps of large, medium and small objects).
 * Its test procedure is a search over crops ({@code io.github.keydet.core.pipeline.SaccadeProcedure}, settings
 * {@link SaccadeSettings}); one crop's corner heads decode as CornerNet's with the Saccade config (K 12, tag
 * threshold 0.3, 12 pairs, corners on the map border rejected). No flip test, no training targets here.
 */
final class SaccadeFamily implements DetectorFamily {
  static final ModelFamily ID = ModelFamily.of("CORNERNET_SACCADE");
  /** The attention maps, in the order of the test code's att_ratios (16, 8, 4). */
  static final List<String> ATTENTION = List.of("att0", "att1", "att2");
  private static final Pattern ATTENTION_NAME = Pattern.compile("att\\d+");

  @Override
  public ModelFamily id() {
    return ID;
  }

  @Override
  public List<HeadSpec> heads(ModelSpec spec) {
    List<HeadSpec> heads = new ArrayList<>(CornerNetFamily.cornerHeads(spec));
    for (String a : ATTENTION) {
      heads.add(HeadSpec.required(a, exactly(1)));
    }
    return heads;
  }

  /**
   * The model must have exactly the attention maps {@code att0..att2}: one missing, or more of them (a model of
   * another attention layout), is named.
   */
  @Override
  public void checkOutputNames(ModelSpec spec, Set<String> outputNames) {
    Set<String> present = new TreeSet<>();
    for (String name : outputNames) {
      if (ATTENTION_NAME.matcher(name).matches()) {
        present.add(name);
      }
    }
    if (!present.equals(new TreeSet<>(ATTENTION))) {
      Set<String> missing = new TreeSet<>(ATTENTION);
      missing.removeAll(present);
      Set<String> extra = new TreeSet<>(present);
      extra.removeAll(ATTENTION);
      throw new ModelLoadException("family " + ID + " needs exactly " + ATTENTION.size() + " attention outputs "
          + ATTENTION + " (strides 16, 8, 4); model has " + present.size() + " " + present
          + (missing.isEmpty() ? "" : ", missing " + missing) + (extra.isEmpty() ? "" : ", unexpected " + extra));
    }
  }

  @Override
  public boolean recognises(Set<String> outputNames) {
    return outputNames.contains("tl_heat") && outputNames.contains("att0");
  }

  @Override
  public Activation nativeHeatmaps() {
    return Activation.LOGITS;
  }

  @Override
  public int defaultK() {
    return SaccadeSettings.DEFAULT_K;
  }

  @Override
  public int defaultNumDets() {
    return SaccadeSettings.DEFAULT_NUM_DETS;
  }

  /** One crop's corner heads (batch_decode's settings: the border rejection is always on). */
  @Override
  public HeadDecoder decoder(ModelSpec spec, DecodeOptions o) {
    return new CornerNetDecoder(new CornerNetDecoder.Config(o.kOr(defaultK()), o.kernel(),
        o.aeThresholdOr(SaccadeSettings.DEFAULT_AE_THRESHOLD), o.numDetsOr(defaultNumDets()), true,
        spec.heatmaps()));
  }

  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    return Optional.empty();
  }

  @Override
  public boolean searchesByAttention() {
    return true;
  }

  @Override
  public List<FamilyOption> decodeOptions() {
    return List.of(FamilyOptions.AE_THRESHOLD);
  }
}
