package io.github.keydet.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Folders of images for the Spark tests, copied into a temporary folder. */
final class TestImages {
  static final Path SAMPLES = Path.of("../detector-examples/samples");
  static final Path POSE = Path.of("../detector-examples/src/test/resources/pose");

  private TestImages() {}

  /** The three samples and the four pose test photos (7 images: PNG and JPEG, 1 to 6 people, a cat, a cup). */
  static Path goodImages(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String s : List.of("astronaut.png", "chelsea.png", "coffee.png")) {
      Files.copy(SAMPLES.resolve(s), dir.resolve(s));
    }
    for (String s : List.of("pair.jpg", "trio.jpg", "camera.jpg", "grace_hopper.jpg")) {
      Files.copy(POSE.resolve(s), dir.resolve(s));
    }
    return dir;
  }

  /**
   * One good image, three bad ones: {@code truncated.png} (chelsea.png cut to 60% of its bytes), {@code
   * truncated.jpg} (grace_hopper.jpg cut in half), {@code notes.jpg} (text); and two files that give no row:
   * {@code empty.png} (0 bytes: Spark's file sources skip empty files) and {@code README.txt} (not an image name).
   */
  static Path withBadFiles(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.copy(SAMPLES.resolve("coffee.png"), dir.resolve("coffee.png"));
    byte[] png = Files.readAllBytes(SAMPLES.resolve("chelsea.png"));
    Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length * 6 / 10));
    byte[] jpg = Files.readAllBytes(POSE.resolve("grace_hopper.jpg"));
    Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(jpg, jpg.length / 2));
    Files.writeString(dir.resolve("notes.jpg"), "these are notes, not a JPEG\n", StandardCharsets.UTF_8);
    Files.write(dir.resolve("empty.png"), new byte[0]);
    Files.writeString(dir.resolve("README.txt"), "not an image", StandardCharsets.UTF_8);
    return dir;
  }
}
