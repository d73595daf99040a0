package io.github.keydet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.InvalidInputException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageReadAheadTest {
  private static final Path SAMPLES = Path.of("samples");

  @Test
  void handsOutTheImagesInOrderAndABadFileAtItsTurn(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("broken.png"), "not a png");
    List<Path> files = List.of(SAMPLES.resolve("coffee.png"), bad, SAMPLES.resolve("chelsea.png"));
    try (ImageReadAhead reads = new ImageReadAhead(files, ImageLoader.builder().build())) {
      BufferedImage coffee = reads.next();
      assertThat(new int[] {coffee.getWidth(), coffee.getHeight()}).containsExactly(600, 400);
      assertThatThrownBy(reads::next).isInstanceOf(InvalidInputException.class).hasMessageContaining("broken.png");
      BufferedImage chelsea = reads.next();
      assertThat(new int[] {chelsea.getWidth(), chelsea.getHeight()}).containsExactly(451, 300);
      assertThatThrownBy(reads::next).isInstanceOf(NoSuchElementException.class).hasMessageContaining("all 3");
    }
  }

  @Test
  void theLoadersLimitsApply() {
    ImageLoader tiny = ImageLoader.builder().optMaxPixels(1000).build();
    try (ImageReadAhead reads = new ImageReadAhead(List.of(SAMPLES.resolve("astronaut.png")), tiny)) {
      assertThatThrownBy(reads::next).isInstanceOf(InvalidInputException.class).hasMessageContaining("262144 pixels").hasMessageContaining("limit of 1000 pixels");
    }
  }
}
