package io.github.keydet.onnx;

import ai.onnxruntime.OrtException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Use-while-open and close-once for an object that owns native sessions: each call holds a read lock, so that
 * {@link #close} (the write lock) waits for the calls in progress, and calls after it throw {@link
 * IllegalStateException} naming the object. Thread-safe.
 */
final class NativeLifecycle {
  /** What a close releases. */
  interface Release {
    void run() throws OrtException;
  }

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final String what;
  private boolean closed;

  /** @param what the object as error messages name it, e.g. {@code detector 'coco'} */
  NativeLifecycle(String what) {
    this.what = what;
  }

  /** Runs {@code call} while open; the object cannot close under it. */
  <T> T whileOpen(Supplier<T> call) {
    lock.readLock().lock();
    try {
      checkOpen();
      return call.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Throws {@link IllegalStateException} when closed. */
  void checkOpen() {
    if (closed) {
      throw new IllegalStateException(what + " is closed");
    }
  }

  /** Runs {@code release} once, after the calls in progress; later closes do nothing. */
  void close(Release release) throws OrtException {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        release.run();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
