package io.github.keydet.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.ModelFamily;
import io.github.keydet.api.ModelLoadException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model's own test-time K and detection cap in its metadata ({@code keydet.top_k}, {@code keydet.num_dets}). */
class ModelSpecTestDefaultsTest {

  private static Map<String, String> cornerNet() {
    Map<String, String> m = new HashMap<>();
    m.put("keydet.family", "CORNERNET");
    return m;
  }

  @Test
  void absentKeysMeanTheFamilyDefaults() {
    ModelSpec spec = ModelSpec.fromMetadata(cornerNet());
    assertThat(spec.topK()).isZero();
    assertThat(spec.numDets()).isZero();
    assertThat(spec.toMetadata()).doesNotContainKeys("keydet.top_k", "keydet.num_dets");
  }

  @Test
  void readAndWrittenBack() {
    Map<String, String> m = cornerNet();
    m.put("keydet.top_k", "20");
    m.put("keydet.num_dets", "100");
    ModelSpec spec = ModelSpec.fromMetadata(m);
    assertThat(spec.family()).isEqualTo(ModelFamily.CORNERNET);
    assertThat(spec.topK()).isEqualTo(20);
    assertThat(spec.numDets()).isEqualTo(100);
    assertThat(spec.toMetadata()).containsEntry("keydet.top_k", "20").containsEntry("keydet.num_dets", "100");
    assertThat(ModelSpec.fromMetadata(spec.toMetadata())).isEqualTo(spec);
  }

  @Test
  void badValuesNameTheKey() {
    Map<String, String> m = cornerNet();
    m.put("keydet.top_k", "twenty");
    assertThatThrownBy(() -> ModelSpec.fromMetadata(m)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("keydet.top_k").hasMessageContaining("twenty");
    m.put("keydet.top_k", "-3");
    assertThatThrownBy(() -> ModelSpec.fromMetadata(m)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("top_k and num_dets must be >= 0").hasMessageContaining("-3");
  }
}
