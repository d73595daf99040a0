package io.github.keydet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionTest {
  private static final BoundingBox BOX = new BoundingBox(1, 2, 3, 4);

  @Test
  void listsAreCopiedAndImmutable() {
    List<Keypoint> points = new ArrayList<>(List.of(new Keypoint(1, 2, 0.5f)));
    Detection d = new Detection(BOX, 0.9f, 0, "cat", points, null, null);
    points.add(new Keypoint(3, 4, 0.1f));
    assertThat(d.keypoints()).hasSize(1);
    assertThat(d.polygon()).isEmpty();
    assertThatThrownBy(() -> d.keypoints().add(new Keypoint(0, 0, 0))).isInstanceOf(UnsupportedOperationException.class);
    assertThat(d.optBox3d()).isEmpty();
    assertThat(Detection.of(BOX, 0.5f, 3, null).label()).isEqualTo("class_3");
  }

  @Test
  void withersKeepTheRest() {
    Detection d = Detection.of(BOX, 0.5f, 1, "dog").withKeypoints(List.of(new Keypoint(1, 1, 1)));
    assertThat(d.keypoints()).hasSize(1);
    assertThat(d.label()).isEqualTo("dog");
    assertThat(d.score()).isEqualTo(0.5f);
  }

  @Test
  void invalidDetectionsAreTypedErrors() {
    assertThatThrownBy(() -> Detection.of(null, 0.5f, 0, "x")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("box");
    assertThatThrownBy(() -> Detection.of(BOX, Float.NaN, 0, "x")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> Detection.of(BOX, 0.5f, -1, "x")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void resultsCopyTheirDetectionsAndDefaultTheirTimings() {
    List<Detection> list = new ArrayList<>(List.of(Detection.of(BOX, 0.5f, 0, "x")));
    DetectionResult r = new DetectionResult(list, 640, 480, null);
    list.clear();
    assertThat(r.detections()).hasSize(1);
    assertThat(r.timings()).isEqualTo(StageTimings.NONE);
  }

  @Test
  void stageTimingsAddUp() {
    StageTimings a = new StageTimings(1, 2, 3, 4);
    StageTimings b = a.plus(new StageTimings(10, 20, 30, 40));
    assertThat(b).isEqualTo(new StageTimings(11, 22, 33, 44));
    assertThat(b.totalNanos()).isEqualTo(110);
  }

  @Test
  void exceptionsShareOneTypedRoot() {
    assertThat(new InvalidInputException("x")).isInstanceOf(KeyDetException.class);
    assertThat(new InvalidConfigException("x")).isInstanceOf(KeyDetException.class);
    assertThat(new ModelLoadException("x")).isInstanceOf(KeyDetException.class);
    assertThat(new InferenceException("x", null)).isInstanceOf(KeyDetException.class);
  }

  @Test
  void buildersNullRuleNamesTheOption() {
    assertThat(InvalidConfigException.requireOption("x", "optThing")).isEqualTo("x");
    assertThatThrownBy(() -> InvalidConfigException.requireOption(null, "optThing"))
        .isInstanceOf(InvalidConfigException.class).hasMessage("optThing must not be null");
  }
}
