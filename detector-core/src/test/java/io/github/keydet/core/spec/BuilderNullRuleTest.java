package io.github.keydet.core.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.decode.DecodeOptions;
import io.github.keydet.core.encode.CtdetTargetEncoder;
import io.github.keydet.core.encode.TargetGeometry;
import io.github.keydet.core.nms.SoftNmsOptions;
import io.github.keydet.core.pipeline.DetectionPipeline;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every builder's object-valued option refuses null at once, naming the option. */
class BuilderNullRuleTest {
  @Test
  void nullOptionsFailAtOnceNamingTheOption() {
    ModelSpec spec = ModelSpec.builder().setFamily(ModelFamily.CENTERNET).build();
    TargetGeometry g = TargetGeometry.builder(64, 64).build();
    Map<String, Runnable> calls = new LinkedHashMap<>();
    calls.put("setFamily", () -> ModelSpec.builder().setFamily(null));
    calls.put("optLayout", () -> ModelSpec.builder().optLayout(null));
    calls.put("optChannelOrder", () -> ModelSpec.builder().optChannelOrder(null));
    calls.put("optResize", () -> ModelSpec.builder().optResize(null));
    calls.put("optHeatmaps", () -> ModelSpec.builder().optHeatmaps(null));
    calls.put("optLabels", () -> ModelSpec.builder().optLabels(null));
    calls.put("optGridPoints", () -> ModelSpec.builder().optGridPoints(null));
    calls.put("optMethod", () -> SoftNmsOptions.builder().optMethod(null));
    calls.put("optDepthInput", () -> DecodeOptions.builder().optDepthInput(null));
    calls.put("optImageToInput", () -> TargetGeometry.builder(64, 64).optImageToInput(null));
    calls.put("optSoftNms", () -> DetectionPipeline.builder(spec).optSoftNms(null));
    calls.put("optDecodeOptions", () -> DetectionPipeline.builder(spec).optDecodeOptions(null));
    calls.put("optPostprocess", () -> DetectionPipeline.builder(spec).optPostprocess(null));
    calls.put("optCalibration", () -> DetectionPipeline.builder(spec).optCalibration(null));
    calls.put("optHeatmapStyle", () -> CtdetTargetEncoder.builder(g, 2).optHeatmapStyle(null, 4));
    calls.put("optRadiusRule", () -> CtdetTargetEncoder.builder(g, 2).optRadiusRule(null));
    calls.put("geometry", () -> CtdetTargetEncoder.builder(null, 2));
    calls.forEach((option, call) -> assertThatThrownBy(call::run).as(option)
        .isInstanceOf(InvalidConfigException.class).hasMessage(option + " must not be null"));
  }
}
