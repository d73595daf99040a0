package io.github.keydet.examples.video;

import io.github.keydet.api.InvalidInputException;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jcodec.api.awt.AWTSequenceEncoder;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.Rational;

/**
 * Writes frames to an MP4 file (H.264, JCodec's encoder). Every frame must have the size of the first; odd widths
 * or heights are padded by one black column or row (the encoder works on 4:2:0 chroma). Not thread-safe; owns the
 * open file: {@link #close()} finishes the file (writes its index) and releases it.
 */
public final class VideoWriter implements AutoCloseable {
  private final Path file;
  private final FileChannelWrapper channel;
  private final AWTSequenceEncoder encoder;
  private int width = -1;
  private int height = -1;
  private int frames;
  private boolean closed;

  private VideoWriter(Path file, FileChannelWrapper channel, AWTSequenceEncoder encoder) {
    this.file = file;
    this.channel = channel;
    this.encoder = encoder;
  }

  /**
   * A writer of a new MP4 file (replaced if it exists) at the given frame rate.
   *
   * @param framesPerSecond frames per second, &gt; 0 (kept to 1/1000)
   */
  public static VideoWriter create(Path file, double framesPerSecond) throws IOException {
    if (!(framesPerSecond > 0) || Double.isInfinite(framesPerSecond)) {
      throw new InvalidInputException("frames per second must be > 0, got " + framesPerSecond);
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileChannelWrapper channel = NIOUtils.writableChannel(file.toFile());
    try {
      Rational fps = Rational.R((int) Math.round(framesPerSecond * 1000), 1000);
      return new VideoWriter(file, channel, new AWTSequenceEncoder(channel, fps));
    } catch (IOException | RuntimeException e) {
      NIOUtils.closeQuietly(channel);
      throw e;
    }
  }

  /** Frames written so far. */
  public int frames() {
    return frames;
  }

  /**
   * Encodes one frame.
   *
   * @throws InvalidInputException when its size differs from the first frame's
   */
  public void write(BufferedImage frame) throws IOException {
    if (closed) {
      throw new IllegalStateException("video writer of " + file + " is closed");
    }
    if (width < 0) {
      width = frame.getWidth();
      height = frame.getHeight();
    } else if (frame.getWidth() != width || frame.getHeight() != height) {
      throw new InvalidInputException("video " + file + " has frames of " + width + "x" + height + ", frame "
          + frames + " is " + frame.getWidth() + "x" + frame.getHeight());
    }
    encoder.encodeImage(evenSized(frame));
    frames++;
  }

  private static BufferedImage evenSized(BufferedImage frame) {
    int w = frame.getWidth() + (frame.getWidth() & 1);
    int h = frame.getHeight() + (frame.getHeight() & 1);
    if (w == frame.getWidth() && h == frame.getHeight() && frame.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      return frame;
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(frame, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Finishes the file and closes it. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      encoder.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish video " + file, e);
    } finally {
      NIOUtils.closeQuietly(channel);
    }
  }
}
