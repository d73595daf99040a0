package io.github.keydet.core.family;

import static io.github.keydet.core.family.HeadSpec.Channels.exactly;
import static io.github.keydet.core.family.HeadSpec.Channels.exactlyIfKnown;

import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.GridPointsDecoder;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.encode.GridPointTargetEncoder;
import io.github.keydet.core.encode.TargetEncoder;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetOptions;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Multi-point CenterNet: {@code hm_p{i}} [N, C, H, W] for the spec's grid points i in 0..8 (the center, 4, when
 * the spec names none), {@code wh} [N, 2, H, W], optional {@code reg} [N, 2, H, W]. Decoded by {@link
 * GridPointsDecoder} (boxes of different points vote; at most 100 per image); targets by {@link
 * GridPointTargetEncoder} for the points top-left, center and bottom-right.
 */
final class GridPointsFamily implements DetectorFamily {
  /** The grid points the training targets cover: top-left, center, bottom-right. */
  private static final int[] TARGET_POINTS = {0, 4, 8};

  @Override
  public ModelFamily id() {
    return ModelFamily.GRID_POINTS;
  }

  @Override
  public List<HeadSpec> heads(ModelSpec spec) {
    List<Integer> points = spec.gridPoints().isEmpty() ? List.of(4) : spec.gridPoints();
    var c = exactlyIfKnown(Rows.classes(spec));
    List<HeadSpec> h = new ArrayList<>();
    for (int p : points) {
      h.add(HeadSpec.heatmap(GridPointsDecoder.headName(p), c));
    }
    h.add(HeadSpec.required("wh", exactly(2)));
    h.add(HeadSpec.optional("reg", exactly(2)));
    return List.copyOf(h);
  }

  @Override
  public boolean recognises(Set<String> outputNames) {
    return outputNames.stream().anyMatch(n -> n.startsWith("hm_p"));
  }

  @Override
  public Activation nativeHeatmaps() {
    return Activation.PROBABILITIES;
  }

  @Override
  public int defaultNumDets() {
    return 100;
  }

  @Override
  public HeadDecoder decoder(ModelSpec spec, DecodeOptions o) {
    return new GridPointsDecoder(new GridPointsDecoder.Config(o.kOr(defaultK()), o.kernel(), spec.heatmaps(),
        spec.layout(), o.gridIouThreshold(), o.numDetsOr(defaultNumDets())));
  }

  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    return Optional.of(FlipTable.of(heads(spec), Map.of()));
  }

  @Override
  public TargetEncoder encoder(TargetGeometry geometry, int numClasses, TargetOptions options) {
    options.requireNoCtdetSettings(id().id());
    return options.applyCommon(GridPointTargetEncoder.builder(geometry, numClasses, TARGET_POINTS)).build();
  }

  @Override
  public boolean hasTargets() {
    return true;
  }

  @Override
  public List<FamilyOption> decodeOptions() {
    return List.of(FamilyOptions.IOU_THRESH);
  }

  @Override
  public void writeRow(Candidate candidate, Map<String, Object> row) {
    Rows.putPoints(candidate, row);
  }
}
