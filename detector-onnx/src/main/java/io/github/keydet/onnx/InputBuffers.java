package io.github.keydet.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of direct buffers for input tensors. ONNX Runtime copies a heap buffer into a freshly allocated (and
 * zeroed) direct one on every run; handing it a reused direct buffer instead saves that allocation (3 MB for a
 * 512x512 image) and the garbage behind it. At most {@code maxIdle} buffers are kept per size. Thread-safe.
 */
final class InputBuffers {
  private final int maxIdle;
  private final Map<Integer, ConcurrentLinkedQueue<ByteBuffer>> idle = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> idleCount = new ConcurrentHashMap<>();

  InputBuffers(int maxIdle) {
    this.maxIdle = maxIdle;
  }

  /** A direct buffer holding a copy of {@code values}, positioned at 0. */
  ByteBuffer fill(float[] values) {
    ConcurrentLinkedQueue<ByteBuffer> q = idle.get(values.length);
    ByteBuffer b = q == null ? null : q.poll();
    if (b != null) {
      idleCount.get(values.length).decrementAndGet();
    } else {
      b = ByteBuffer.allocateDirect(Math.multiplyExact(values.length, Float.BYTES)).order(ByteOrder.nativeOrder());
    }
    FloatBuffer f = b.asFloatBuffer();
    f.put(values);
    return b;
  }

  /** Gives a buffer back once no tensor uses it. */
  void giveBack(ByteBuffer b) {
    int floats = b.capacity() / Float.BYTES;
    AtomicInteger count = idleCount.computeIfAbsent(floats, k -> new AtomicInteger());
    if (count.incrementAndGet() <= maxIdle) {
      idle.computeIfAbsent(floats, k -> new ConcurrentLinkedQueue<>()).add(b);
    } else {
      count.decrementAndGet();
    }
  }
}
