package io.github.keydet.core.family;

import static io.github.keydet.core.family.HeadSpec.Channels.exactly;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.GridNeighborDecoder;
import io.github.keydet.core.decode.GridNeighborDecoder.BoxGeometry;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.encode.GridNeighborTargetEncoder;
import io.github.keydet.core.encode.TargetEncoder;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetOptions;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import io.github.keydet.core.tta.HeadFlip;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Enhanced-CenterNet's GridNeighbor detection (GitHub Wastoon/CenterNet-Multi-Func-Det, {@code --task
 * gridneighbordet}): {@code hm} [N, C·P, H, W] (channel class·P + point index), {@code wh} [N, 2P, H, W], optional
 * {@code reg} [N, 2P, H, W], for the model's P point flags (the spec's {@code gridPoints}, metadata {@code
 * keydet.grid_points}; the upstream default 0, 4, 8 when it names none; {@code --point-flags} on {@code keydet
 * decode}). Decoded by {@link GridNeighborDecoder}: one box per point peak, with the training targets' geometry;
 * targets by {@link GridNeighborTargetEncoder} (its dataset sample; {@link #encoder} has no spec and takes the
 * flags of its {@link TargetOptions#pointFlags()}, by default 0, 4, 8).
 *
 * <p>Detections: the boxes of all points go through the post-processor's per-class NMS, threshold and cap. The
 * upstream detector instead merges them by Gaussian soft-NMS (Nt 0.5) only with several scales or {@code --nms},
 * and its {@code gridneighbor_det_post_process} is broken for P > 1 (see {@link GridNeighborDecoder}).
 *
 * <p>Flip test: {@code hm} and {@code wh} are averaged with the mirror's, as the upstream detector does, but with
 * the point roles mirrored (flag (row, col) takes the mirror's (row, 2 - col) channels, and its x size, which is
 * point - x1, is the mirror's times 3^(col - 1)); {@code reg} is the original's. This needs the mirror of every flag
 * among the flags (0, 4, 8 is not closed: 0 mirrors to 2); the upstream detector averages the unmirrored channels,
 * which mixes top-left with top-right. It replaced KeyDet's former GRID_POINTS family (separate {@code hm_p{i}}
 * heads, one shared {@code wh}, IoU voting), which matched no real model.
 */
final class GridNeighborFamily implements DetectorFamily {
  static final ModelFamily ID = ModelFamily.of("GRIDNEIGHBOR");

  /** The upstream {@code opts.py} default {@code --point_flags}. */
  private static final int[] DEFAULT_FLAGS = {0, 4, 8};

  static final FamilyOption POINT_FLAGS = new FamilyOption("--point-flags", String.class,
      "GRIDNEIGHBOR: the model's point flags, grid cells 0..8 row-major over the box (default: the model's, else"
          + " 0,4,8).", null, (b, v) -> b.optFamilySetting("point-flags", v));

  static final FamilyOption BOX_GEOMETRY = new FamilyOption("--box-geometry", String.class,
      "GRIDNEIGHBOR: 'training' (the box of its training targets) or 'centered' (the upstream decoder's x +- w/2).",
      "training", (b, v) -> b.optFamilySetting("box-geometry", v));

  @Override
  public ModelFamily id() {
    return ID;
  }

  /** The point flags of a model: its spec's grid points, or the upstream default. */
  static int[] flags(ModelSpec spec) {
    int[] flags = spec.gridPoints().isEmpty() ? DEFAULT_FLAGS.clone()
        : spec.gridPoints().stream().mapToInt(Integer::intValue).toArray();
    GridNeighborDecoder.requireValidFlags(flags);
    return flags;
  }

  @Override
  public List<HeadSpec> heads(ModelSpec spec) {
    int[] flags = flags(spec);
    int p = flags.length;
    int c = Rows.classes(spec);
    String why = " (point flags " + Arrays.toString(flags)
        + (spec.gridPoints().isEmpty() ? ", the default: the spec names none" : "") + ")";
    HeadSpec.Channels hm = c > 0 ? exactly(c * p)
        : new HeadSpec.Channels("C·" + p + why, n -> n > 0 && n % p == 0);
    HeadSpec.Channels perPoint = new HeadSpec.Channels(2 * p + " = 2P" + why, n -> n == 2 * p);
    return List.of(
        HeadSpec.heatmap("hm", hm),
        HeadSpec.required("wh", perPoint),
        HeadSpec.optional("reg", perPoint));
  }

  /** Never from output names alone: {@code hm} + {@code wh} is CenterNet's too. */
  @Override
  public boolean recognises(Set<String> outputNames) {
    return false;
  }

  @Override
  public Activation nativeHeatmaps() {
    return Activation.PROBABILITIES;
  }

  /**
   * Every grid point gives a box for the same object: they are merged per class by Gaussian soft-NMS (Nt 0.5, as
   * the reading of the upstream {@code merge_outputs}; upstream itself merges only with several scales or
   * {@code --nms}, and otherwise reports each point's box).
   */
  @Override
  public boolean mergesBySoftNms() {
    return true;
  }

  @Override
  public HeadDecoder decoder(ModelSpec spec, DecodeOptions o) {
    String given = o.familySetting("point-flags", String.class, null);
    int[] flags = given != null ? GridNeighborDecoder.parseFlags(given) : flags(spec);
    return new GridNeighborDecoder(new GridNeighborDecoder.Config(o.kOr(defaultK()), o.kernel(), spec.heatmaps(),
        spec.layout(), flags, geometry(o.familySetting("box-geometry", String.class, "training"))));
  }

  private static BoxGeometry geometry(String name) {
    try {
      return BoxGeometry.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("unknown box geometry '" + name + "': expected training or centered");
    }
  }

  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    int[] flags = flags(spec);
    int p = flags.length;
    int[] partner = new int[p];
    for (int i = 0; i < p; i++) {
      int m = GridNeighborDecoder.mirrorFlag(flags[i]);
      partner[i] = -1;
      for (int j = 0; j < p; j++) {
        if (flags[j] == m) {
          partner[i] = j;
        }
      }
      if (partner[i] < 0) {
        throw new InvalidConfigException("the flip test of GRIDNEIGHBOR needs the mirror of every point flag: flag "
            + flags[i] + " mirrors to " + m + ", which is not in " + Arrays.toString(flags));
      }
    }
    return Optional.of(FlipTable.of(heads(spec), Map.of(
        "hm", ch -> HeadFlip.permuted(heatChannels(partner, ch), null),
        "wh", ch -> HeadFlip.permuted(sizeChannels(partner), sizeFactors(flags)))));
  }

  private static int[] heatChannels(int[] partner, int channels) {
    int p = partner.length;
    int[] order = new int[channels];
    for (int ch = 0; ch < channels; ch++) {
      order[ch] = (ch / p) * p + partner[ch % p];
    }
    return order;
  }

  private static int[] sizeChannels(int[] partner) {
    int[] order = new int[2 * partner.length];
    for (int i = 0; i < partner.length; i++) {
      order[2 * i] = 2 * partner[i];
      order[2 * i + 1] = 2 * partner[i] + 1;
    }
    return order;
  }

  /** x size of flag (row, col) = mirror's x size · 3^(col - 1) (point - x1 of the mirrored cell); y as is. */
  private static float[] sizeFactors(int[] flags) {
    float[] f = new float[2 * flags.length];
    for (int i = 0; i < flags.length; i++) {
      int col = flags[i] % 3;
      f[2 * i] = col == 0 ? (float) (1.0 / 3) : col == 1 ? 1f : 3f;
      f[2 * i + 1] = 1f;
    }
    return f;
  }

  /**
   * The upstream dataset sample's targets for the options' point flags ({@code keydet targets --point-flags}),
   * else the upstream default flags 0, 4, 8 (the encoder has no spec).
   */
  @Override
  public TargetEncoder encoder(TargetGeometry geometry, int numClasses, TargetOptions options) {
    options.requireNoCtdetSettings(id().id());
    int[] flags = options.pointFlags().isEmpty() ? DEFAULT_FLAGS
        : options.pointFlags().stream().mapToInt(Integer::intValue).toArray();
    return options.withPointFlags(List.of())
        .applyCommon(GridNeighborTargetEncoder.builder(geometry, numClasses, flags)).build();
  }

  @Override
  public boolean hasTargets() {
    return true;
  }

  @Override
  public List<FamilyOption> decodeOptions() {
    return List.of(POINT_FLAGS, BOX_GEOMETRY);
  }

  /** {@code "point"}: the flag of the point the box was decoded from. */
  @Override
  public void writeRow(Candidate candidate, Map<String, Object> row) {
    row.put("point", candidate.pointId());
  }
}
