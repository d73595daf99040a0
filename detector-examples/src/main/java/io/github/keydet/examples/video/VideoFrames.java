package io.github.keydet.examples.video;

import io.github.keydet.api.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jcodec.api.FrameGrab;
import org.jcodec.api.JCodecException;
import org.jcodec.common.DemuxerTrackMeta;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.Picture;
import org.jcodec.scale.AWTUtil;

/**
 * The frames of a video file (MP4 or MOV with H.264 video, decoded by JCodec), read in order with {@link #next()}
 * or by index with {@link #frame(int)}. Frames are RGB {@link BufferedImage}s in image pixels, as the file's
 * track stores them. Not thread-safe; owns the open file: {@link #close()} releases it.
 */
public final class VideoFrames implements AutoCloseable {
  /** File name endings read as videos (lower case). */
  public static final List<String> EXTENSIONS = List.of(".mp4", ".mov", ".m4v");

  private final Path file;
  private final FileChannelWrapper channel;
  private final FrameGrab grab;
  private final int frameCount;
  private final double framesPerSecond;
  /** Index of the frame {@link #next()} returns. */
  private int position;

  private VideoFrames(Path file, FileChannelWrapper channel, FrameGrab grab) {
    this.file = file;
    this.channel = channel;
    this.grab = grab;
    DemuxerTrackMeta meta = grab.getVideoTrack().getMeta();
    this.frameCount = meta.getTotalFrames();
    double duration = meta.getTotalDuration();
    this.framesPerSecond = duration > 0 && frameCount > 0 ? frameCount / duration : 25.0;
  }

  /** Whether the file name ends like a video ({@link #EXTENSIONS}). */
  public static boolean isVideo(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(n::endsWith);
  }

  /**
   * Opens a video file.
   *
   * @throws InvalidInputException when the file is missing, empty, or not a video JCodec can decode
   */
  public static VideoFrames open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("video file does not exist: " + file);
    }
    FileChannelWrapper channel = null;
    try {
      if (Files.size(file) == 0) {
        throw new InvalidInputException("video " + file + " is empty (0 bytes)");
      }
      channel = NIOUtils.readableChannel(file.toFile());
      FrameGrab grab = FrameGrab.createFrameGrab(channel);
      return new VideoFrames(file, channel, grab);
    } catch (IOException | JCodecException | RuntimeException e) {
      NIOUtils.closeQuietly(channel);
      if (e instanceof InvalidInputException iie) {
        throw iie;
      }
      throw new InvalidInputException("video " + file + " cannot be decoded (MP4/MOV with H.264 supported): "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Frames in the video track, as its index says. */
  public int frameCount() {
    return frameCount;
  }

  /** Frames per second: frame count over the track's duration (25 when the track gives no duration). */
  public double framesPerSecond() {
    return framesPerSecond;
  }

  /** Index of the frame {@link #next()} returns. */
  public int position() {
    return position;
  }

  /**
   * The next frame, or {@code null} after the last.
   *
   * @throws InvalidInputException when the frame cannot be decoded (naming the file and frame)
   */
  public BufferedImage next() {
    try {
      Picture p = grab.getNativeFrame();
      if (p == null) {
        return null;
      }
      position++;
      return AWTUtil.toBufferedImage(p);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException("video " + file + ": frame " + position + " cannot be decoded: " + e, e);
    }
  }

  /**
   * Frame {@code index} (0-based): the next one when it is, else after a seek from the preceding key frame.
   *
   * @throws InvalidInputException for an index outside [0, frameCount) or a frame that cannot be decoded
   */
  public BufferedImage frame(int index) {
    if (index < 0 || index >= frameCount) {
      throw new InvalidInputException("video " + file + " has frames 0.." + (frameCount - 1) + ", asked for " + index);
    }
    if (index != position) {
      try {
        grab.seekToFramePrecise(index);
        position = index;
      } catch (IOException | JCodecException | RuntimeException e) {
        throw new InvalidInputException("video " + file + ": cannot seek to frame " + index + ": " + e, e);
      }
    }
    BufferedImage image = next();
    if (image == null) {
      throw new InvalidInputException("video " + file + " ended before frame " + index);
    }
    return image;
  }

  @Override
  public void close() {
    NIOUtils.closeQuietly(channel);
  }
}
