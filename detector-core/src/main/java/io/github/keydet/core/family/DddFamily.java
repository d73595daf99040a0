package io.github.keydet.core.family;

import static io.github.keydet.core.family.HeadSpec.Channels.exactly;
import static io.github.keydet.core.family.HeadSpec.Channels.exactlyIfKnown;

import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.DddDecoder;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.decode.HeadDecoder;
import io.github.keydet.core.decode.Object3dValues;
import io.github.keydet.core.encode.DddTargetEncoder;
import io.github.keydet.core.encode.TargetEncoder;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.encode.TargetOptions;
import io.github.keydet.core.geometry3d.CameraCalibration;
import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.post.Outline;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.core.post.Postprocessor;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.tta.FlipRules;
import io.github.keydet.core.tta.HeadFlip;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CenterNet ddd (3D boxes): {@code hm} [N, C, H, W], {@code dep} [N, 1, H, W] depth, {@code rot} [N, 8, H, W]
 * (two rotation bins), {@code dim} [N, 3, H, W] (h, w, l in metres), optional {@code wh} and {@code reg}
 * [N, 2, H, W]. Decoded by {@link DddDecoder}; detections are lifted to 3D boxes with the camera calibration; the
 * flip test averages {@code hm}, {@code wh}, {@code dim} and {@code dep} and keeps the original's other heads (as
 * CenterNet's ddd test does); targets by {@link DddTargetEncoder}.
 */
final class DddFamily implements DetectorFamily {
  private static final Set<String> AVERAGED = Set.of("hm", "wh", "dim", "dep");

  @Override
  public ModelFamily id() {
    return ModelFamily.DDD;
  }

  @Override
  public List<HeadSpec> heads(ModelSpec spec) {
    return List.of(
        HeadSpec.heatmap("hm", exactlyIfKnown(Rows.classes(spec))),
        HeadSpec.required("dep", exactly(1)),
        HeadSpec.required("rot", exactly(8)),
        HeadSpec.required("dim", exactly(3)),
        HeadSpec.optional("wh", exactly(2)),
        HeadSpec.optional("reg", exactly(2)));
  }

  @Override
  public boolean recognises(Set<String> outputNames) {
    return outputNames.contains("dep");
  }

  @Override
  public Activation nativeHeatmaps() {
    return Activation.PROBABILITIES;
  }

  @Override
  public HeadDecoder decoder(ModelSpec spec, DecodeOptions o) {
    return new DddDecoder(
        new DddDecoder.Config(o.kOr(defaultK()), o.kernel(), spec.heatmaps(), spec.layout(), o.depthInput()));
  }

  @Override
  public Optional<FlipRules> flipRules(ModelSpec spec) {
    return Optional.of(new FlipRules() {
      private final FlipRules table = FlipTable.of(heads(spec), Map.of());

      @Override
      public HeadFlip rule(String name, int channels) {
        return AVERAGED.contains(name) ? HeadFlip.average() : HeadFlip.original();
      }

      @Override
      public boolean isHeatmap(String name) {
        return table.isHeatmap(name);
      }
    });
  }

  /** Lifts each detection to a 3D box with {@code calibration} (none: no 3D boxes). */
  @Override
  public Postprocessor postprocessor(PostprocessConfig config, CameraCalibration calibration) {
    return new Postprocessor(config, Outline.NONE, calibration);
  }

  @Override
  public TargetEncoder encoder(TargetGeometry geometry, int numClasses, TargetOptions options) {
    options.requireNoCtdetSettings(id().id());
    return options.applyCommon(DddTargetEncoder.builder(geometry, numClasses)).build();
  }

  @Override
  public boolean hasTargets() {
    return true;
  }

  @Override
  public List<FamilyOption> decodeOptions() {
    return List.of(FamilyOptions.DEPTH_METRES);
  }

  /** {@code center}, {@code depth}, {@code dim} (h, w, l), {@code rot} (the 8 raw channels) and {@code alpha}. */
  @Override
  public void writeRow(Candidate candidate, Map<String, Object> row) {
    Rows.putCenter(candidate, row);
    Object3dValues v = candidate.object3d();
    if (v != null) {
      row.put("depth", v.depth());
      row.put("dim", new float[] {v.height(), v.width(), v.length()});
      row.put("rot", v.rot());
      row.put("alpha", v.alpha());
    }
  }
}
