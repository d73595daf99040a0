package io.github.keydet.examples.viewer;

import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.examples.ImageFiles;
import io.github.keydet.examples.video.VideoFrames;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the viewer steps through: the images of a file or folder, or the frames of a video. Items are numbered
 * from 0; {@link #load(int)} reads one (in image pixels). Not thread-safe: the viewer loads from one worker at a
 * time. A video source owns its open file until {@link #close()}.
 */
public interface MediaSource extends AutoCloseable {
  /** Number of items (images or frames). */
  int size();

  /** A name for item {@code index}, for the title and status bar. */
  String name(int index);

  /**
   * Reads item {@code index}.
   *
   * @throws InvalidInputException when it cannot be read (naming the file and the reason)
   */
  BufferedImage load(int index);

  /** Whether the items are frames of one video (the viewer then offers play/pause). */
  boolean isVideo();

  /** Frames per second of a video; 0 for images. */
  double framesPerSecond();

  @Override
  void close();

  /**
   * The source a path names: a video file, an image file, or a folder of images (sorted by name).
   *
   * @throws InvalidInputException when the path does not exist or a folder holds no images
   */
  static MediaSource open(Path path, ImageLoader loader) {
    if (!Files.exists(path)) {
      throw new InvalidInputException("image, folder or video does not exist: " + path);
    }
    if (Files.isRegularFile(path) && VideoFrames.isVideo(path)) {
      return new VideoSource(VideoFrames.open(path));
    }
    List<Path> images = ImageFiles.expand(List.of(path));
    if (images.isEmpty()) {
      throw new InvalidInputException("no images found in " + path);
    }
    return new ImageListSource(images, loader);
  }

  /** Image files, each read with the loader when shown. */
  record ImageListSource(List<Path> files, ImageLoader loader) implements MediaSource {
    /** Defensive copy. */
    public ImageListSource {
      files = List.copyOf(files);
    }

    @Override
    public int size() {
      return files.size();
    }

    @Override
    public String name(int index) {
      return files.get(index).getFileName().toString();
    }

    @Override
    public BufferedImage load(int index) {
      return loader.read(files.get(index));
    }

    @Override
    public boolean isVideo() {
      return false;
    }

    @Override
    public double framesPerSecond() {
      return 0;
    }

    @Override
    public void close() {}
  }

  /** The frames of a video file. */
  final class VideoSource implements MediaSource {
    private final VideoFrames frames;

    VideoSource(VideoFrames frames) {
      this.frames = frames;
    }

    @Override
    public int size() {
      return frames.frameCount();
    }

    @Override
    public String name(int index) {
      return frames.file().getFileName() + " frame " + (index + 1) + "/" + frames.frameCount();
    }

    @Override
    public BufferedImage load(int index) {
      return frames.frame(index);
    }

    @Override
    public boolean isVideo() {
      return true;
    }

    @Override
    public double framesPerSecond() {
      return frames.framesPerSecond();
    }

    @Override
    public void close() {
      frames.close();
    }
  }
}
