package io.github.keydet.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.StageTimings;
import io.github.keydet.examples.Annotator;
import io.github.keydet.examples.video.TestVideos;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The viewer's state without Swing: navigation, threshold re-filtering, the picture drawn, the status line. */
class ViewerModelTest {
  @TempDir Path dir;

  private static Detection det(float score, int classId) {
    return new Detection(new BoundingBox(10, 10, 60, 50), score, classId, "c" + classId, List.of(), List.of(), null);
  }

  private static Analysis analysis(BufferedImage image, BufferedImage heat) {
    return new Analysis(image, new ScoredDetections(List.of(det(0.9f, 0), det(0.4f, 1), det(0.1f, 2)), 0.05f),
        new StageTimings(1_000_000, 20_000_000, 3_000_000, 500_000), heat == null ? null : "hm", heat, null);
  }

  @Test
  void landmarkModelsHaveTheirLandmarksJoinedInThePicture() {
    // 68 face landmarks spread 10 px apart along a row: the 300W jaw (0..16) is drawn as a line by the landmark
    // painter, so the pixel between landmarks 0 and 1 is in the class colour, while the generic drawing (dots only)
    // leaves it black
    List<io.github.keydet.api.Keypoint> points = new java.util.ArrayList<>();
    for (int i = 0; i < 68; i++) {
      points.add(new io.github.keydet.api.Keypoint(20 + 10 * (i % 17), 100 + 40 * (i / 17), 0.9f));
    }
    Detection face = new Detection(new BoundingBox(5, 60, 215, 260), 0.9f, 0, "face", points, List.of(), null);
    BufferedImage black = new BufferedImage(240, 280, BufferedImage.TYPE_INT_RGB);
    ViewerModel model = new ViewerModel(0.05f, 0.3f);
    ScoredDetections scored = new ScoredDetections(List.of(face), 0.05f);
    StageTimings t = new StageTimings(1, 1, 1, 1);
    model.show(new Analysis(black, scored, t, null, null, io.github.keydet.api.ModelFamily.of("LANDMARK")));
    assertThat(model.picture().getRGB(25, 100) & 0xffffff).isEqualTo(Annotator.colorOf(0).getRGB() & 0xffffff);
    model.show(new Analysis(black, scored, t, null, null, null));
    assertThat(model.picture().getRGB(25, 100) & 0xffffff).isZero();
  }

  @Test
  void navigatesAFolderAndRefiltersWithoutANewAnalysis() {
    MediaSource folder = MediaSource.open(Path.of("samples"), ImageLoader.defaults());
    assertThat(folder.size()).isEqualTo(3);
    assertThat(List.of(folder.name(0), folder.name(1), folder.name(2)))
        .containsExactly("astronaut.png", "chelsea.png", "coffee.png");
    ViewerModel m = new ViewerModel(0.05f, 0.3f);
    assertThat(m.status()).isEqualTo("Open an image, a folder or a video");
    assertThat(m.open(folder)).isNull();
    assertThat(m.hasPrevious()).isFalse();
    assertThat(m.hasNext()).isTrue();
    m.moveTo(2);
    assertThat(m.hasNext()).isFalse();
    assertThat(m.hasPrevious()).isTrue();
    assertThatThrownBy(() -> m.moveTo(3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(m.picture()).isNull();
    assertThat(m.status()).isEqualTo("coffee.png (3/3)");

    BufferedImage image = folder.load(2);
    m.show(analysis(image, null));
    assertThat(m.shown()).extracting(Detection::score).containsExactly(0.9f, 0.4f);
    m.setThreshold(0.5f);
    assertThat(m.shown()).extracting(Detection::score).containsExactly(0.9f);
    m.setThreshold(0.05f);
    assertThat(m.shown()).hasSize(3);
    assertThatThrownBy(() -> m.setThreshold(0.01f)).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("threshold must be in [0.05, 1], got 0.01");
    m.setThreshold(0.3f);
    assertThat(m.status()).isEqualTo("coffee.png (3/3)   2 of 3 detections at >= 0.30   pre 1.0  net 20.0  dec 3.0"
        + "  post 0.5  total 24.5 ms");
    assertSame(m.picture(), Annotator.draw(image, List.of(det(0.9f, 0), det(0.4f, 1))));
  }

  @Test
  void theHeatMapIsTheBackgroundWhenShown() {
    BufferedImage image = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
    BufferedImage heat = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
    heat.setRGB(70, 55, 0xff00ff);
    ViewerModel m = new ViewerModel(0.05f, 0.3f);
    m.show(analysis(image, heat));
    assertSame(m.picture(), Annotator.draw(heat, List.of(det(0.9f, 0), det(0.4f, 1))));
    assertThat(m.picture().getRGB(70, 55) & 0xffffff).isEqualTo(0xff00ff);
  }

  @Test
  void opensVideosAndImagesAndRefusesWhatIsNeither() throws IOException {
    Path video = TestVideos.write(dir.resolve("clip.mp4"));
    try (MediaSource s = MediaSource.open(video, ImageLoader.defaults())) {
      assertThat(s.isVideo()).isTrue();
      assertThat(s.size()).isEqualTo(9);
      assertThat(s.framesPerSecond()).isEqualTo(5.0);
      assertThat(s.name(3)).isEqualTo("clip.mp4 frame 4/9");
      assertThat(s.load(3).getWidth()).isEqualTo(TestVideos.WIDTH);
    }
    MediaSource one = MediaSource.open(Path.of("samples/coffee.png"), ImageLoader.defaults());
    assertThat(one.isVideo()).isFalse();
    assertThat(one.size()).isEqualTo(1);
    assertThat(one.load(0).getWidth()).isEqualTo(600);
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThatThrownBy(() -> MediaSource.open(empty, ImageLoader.defaults())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no images found in");
    assertThatThrownBy(() -> MediaSource.open(dir.resolve("nothing.png"), ImageLoader.defaults()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
    Path broken = Files.writeString(dir.resolve("broken.png"), "not a png");
    MediaSource bad = MediaSource.open(broken, ImageLoader.defaults());
    assertThatThrownBy(() -> bad.load(0)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not in a supported format");
  }

  private static void assertSame(BufferedImage a, BufferedImage b) {
    assertThat(a.getWidth()).isEqualTo(b.getWidth());
    assertThat(a.getHeight()).isEqualTo(b.getHeight());
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        if (a.getRGB(x, y) != b.getRGB(x, y)) {
          throw new AssertionError("pixel (" + x + ", " + y + ") differs");
        }
      }
    }
  }
}
