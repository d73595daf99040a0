package io.github.keydet.examples.cli;

import io.github.keydet.api.ImageLoader;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decodes the CLI's images one ahead on a background thread: the first while the detector loads (ImageIO's first
 * use costs about a quarter of a second of class loading and decoder set-up, as long as building the detector on a
 * second core), each next one while the current one is detected. At most two decoded images are held (the one
 * handed out and the one being read). A file that cannot be read fails when its turn comes, with the loader's own
 * exception, so the caller's per-file error handling is unchanged. Single consumer; close it to stop the thread.
 */
final class ImageReadAhead implements AutoCloseable {
  private final List<Path> files;
  private final ImageLoader loader;
  private final ExecutorService reader;
  private Future<BufferedImage> pending;
  private int next;

  ImageReadAhead(List<Path> files, ImageLoader loader) {
    this.files = List.copyOf(files);
    this.loader = loader;
    this.reader = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "keydet-image-reader");
      t.setDaemon(true);
      return t;
    });
    pending = files.isEmpty() ? null : submit(0);
  }

  private Future<BufferedImage> submit(int index) {
    Path file = files.get(index);
    return reader.submit(() -> loader.read(file));
  }

  /**
   * The next file's image, in list order; starts reading the one after it.
   *
   * @throws RuntimeException the loader's exception for this file (e.g. {@code InvalidInputException})
   */
  BufferedImage next() {
    if (pending == null) {
      throw new NoSuchElementException("all " + files.size() + " images were handed out");
    }
    Future<BufferedImage> current = pending;
    next++;
    pending = next < files.size() ? submit(next) : null;
    try {
      return current.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + files.get(next - 1), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("reading " + files.get(next - 1) + " failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    reader.shutdownNow();
  }
}
