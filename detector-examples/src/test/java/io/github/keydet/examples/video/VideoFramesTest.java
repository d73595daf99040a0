package io.github.keydet.examples.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Videos written by {@link VideoWriter} read back by {@link VideoFrames}: count, rate, pixels, seeking, bad files. */
class VideoFramesTest {
  @TempDir Path dir;

  @Test
  void framesComeBackInOrderCloseToWhatWasWritten() throws IOException {
    List<BufferedImage> written = TestVideos.frames();
    Path file = TestVideos.write(dir.resolve("samples.mp4"));
    List<BufferedImage> read = new ArrayList<>();
    try (VideoFrames in = VideoFrames.open(file)) {
      assertThat(in.frameCount()).isEqualTo(written.size());
      assertThat(in.framesPerSecond()).isCloseTo(TestVideos.FPS, within(0.01));
      for (BufferedImage f = in.next(); f != null; f = in.next()) {
        read.add(f);
      }
      assertThat(in.position()).isEqualTo(written.size());
    }
    assertThat(read).hasSize(written.size());
    for (int i = 0; i < read.size(); i++) {
      assertThat(read.get(i).getWidth()).isEqualTo(TestVideos.WIDTH);
      assertThat(read.get(i).getHeight()).isEqualTo(TestVideos.HEIGHT);
      // H.264 is lossy: close to the frame written, far from the other samples' frames
      double same = TestVideos.meanAbsDiff(read.get(i), written.get(i));
      int other = (i + TestVideos.FRAMES_PER_SAMPLE) % written.size();
      double different = TestVideos.meanAbsDiff(read.get(i), written.get(other));
      assertThat(same).as("frame %d vs written", i).isLessThan(10.0); // measured 4.6-7.3 (JCodec encoder defaults)
      assertThat(different).as("frame %d vs frame %d written", i, other).isGreaterThan(5 * same); // measured 60-88
    }
  }

  @Test
  void seekingGivesTheFrameReadInOrder() throws IOException {
    Path file = TestVideos.write(dir.resolve("samples.mp4"));
    List<BufferedImage> inOrder = new ArrayList<>();
    try (VideoFrames in = VideoFrames.open(file)) {
      for (BufferedImage f = in.next(); f != null; f = in.next()) {
        inOrder.add(f);
      }
    }
    try (VideoFrames in = VideoFrames.open(file)) {
      for (int i : new int[] {7, 2, 3, 8, 0}) {
        assertThat(TestVideos.meanAbsDiff(in.frame(i), inOrder.get(i))).as("frame %d", i).isEqualTo(0.0);
      }
      assertThatThrownBy(() -> in.frame(9)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("has frames 0..8, asked for 9");
    }
  }

  @Test
  void oddSizedFramesArePaddedToEvenSizes() throws IOException {
    Path file = dir.resolve("odd.mp4");
    BufferedImage odd = new BufferedImage(451, 301, BufferedImage.TYPE_INT_RGB);
    try (VideoWriter w = VideoWriter.create(file, 10)) {
      w.write(odd);
      w.write(odd);
      assertThatThrownBy(() -> w.write(new BufferedImage(450, 300, BufferedImage.TYPE_INT_RGB)))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("frames of 451x301, frame 2 is 450x300");
    }
    try (VideoFrames in = VideoFrames.open(file)) {
      BufferedImage f = in.next();
      assertThat(in.frameCount()).isEqualTo(2);
      assertThat(f.getWidth()).isEqualTo(452);
      assertThat(f.getHeight()).isEqualTo(302);
    }
  }

  @Test
  void badFilesFailNamingTheProblem() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    assertThatThrownBy(() -> VideoFrames.open(empty)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is empty (0 bytes)");
    Path text = Files.writeString(dir.resolve("text.mp4"), "not a video at all, just some text\n".repeat(20));
    assertThatThrownBy(() -> VideoFrames.open(text)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("text.mp4 cannot be decoded");
    assertThatThrownBy(() -> VideoFrames.open(dir.resolve("missing.mp4"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("video file does not exist");
    assertThat(VideoFrames.isVideo(Path.of("a/B.MP4"))).isTrue();
    assertThat(VideoFrames.isVideo(Path.of("a/b.png"))).isFalse();
  }
}
