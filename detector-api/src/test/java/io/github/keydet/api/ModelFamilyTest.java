package io.github.keydet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelFamilyTest {
  @Test
  void idsAreCaseInsensitiveAndBuiltInsAreTheirConstants() {
    assertThat(ModelFamily.of("multi_pose")).isSameAs(ModelFamily.MULTI_POSE);
    assertThat(ModelFamily.of(" CenterNet ")).isSameAs(ModelFamily.CENTERNET);
    assertThat(ModelFamily.MULTI_POSE.id()).isEqualTo("MULTI_POSE");
    assertThat(ModelFamily.MULTI_POSE.name()).isEqualTo("MULTI_POSE");
    assertThat(ModelFamily.DDD).hasToString("DDD");
  }

  @Test
  void otherFamiliesAreValuesEqualById() {
    ModelFamily a = ModelFamily.of("gridneighbor");
    ModelFamily b = ModelFamily.of("GRIDNEIGHBOR");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(ModelFamily.CENTERNET);
    assertThat(a.id()).isEqualTo("GRIDNEIGHBOR");
  }

  @Test
  void malformedIdsAreConfigErrorsNamingTheId() {
    assertThatThrownBy(() -> ModelFamily.of(null)).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("null");
    assertThatThrownBy(() -> ModelFamily.of("  ")).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> ModelFamily.of("multi-pose")).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'multi-pose'");
    assertThatThrownBy(() -> ModelFamily.of("9lives")).isInstanceOf(InvalidConfigException.class);
  }
}
