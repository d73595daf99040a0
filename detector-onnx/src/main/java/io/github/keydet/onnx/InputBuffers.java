package io.github.keydet.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of direct, native-order float buffers for input tensors. The preprocessor writes the input straight into
 * one and ONNX Runtime reads it in place; a heap buffer would be copied into a freshly allocated (and zeroed)
 * direct one on every run (3 MB for a 512x512 image). At most {@code maxIdle} buffers are kept per size, so the
 * pool is bounded by (distinct input sizes) x maxIdle; a size seen once (PAD mode, odd image sizes) costs at most
 * that many idle buffers. Thread-safe.
 */
final class InputBuffers {
  private final int maxIdle;
  private final Map<Integer, ConcurrentLinkedQueue<FloatBuffer>> idle = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> idleCount = new ConcurrentHashMap<>();

  InputBuffers(int maxIdle) {
    this.maxIdle = maxIdle;
  }

  /** A direct buffer of exactly {@code floats} elements, position 0, limit {@code floats}. */
  FloatBuffer borrow(int floats) {
    ConcurrentLinkedQueue<FloatBuffer> q = idle.get(floats);
    FloatBuffer b = q == null ? null : q.poll();
    if (b != null) {
      idleCount.get(floats).decrementAndGet();
      return b.clear();
    }
    return ByteBuffer.allocateDirect(Math.multiplyExact(floats, Float.BYTES)).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  /** A pooled direct copy of a heap buffer's elements 0 .. limit. */
  FloatBuffer copyOf(FloatBuffer heap) {
    FloatBuffer b = borrow(heap.limit());
    b.put(0, heap, 0, heap.limit());
    return b;
  }

  /** Gives a buffer back once no tensor uses it; buffers this pool did not make are ignored. */
  void giveBack(FloatBuffer b) {
    if (!b.isDirect()) {
      return;
    }
    int floats = b.capacity();
    AtomicInteger count = idleCount.computeIfAbsent(floats, k -> new AtomicInteger());
    if (count.incrementAndGet() <= maxIdle) {
      idle.computeIfAbsent(floats, k -> new ConcurrentLinkedQueue<>()).add(b);
    } else {
      count.decrementAndGet();
    }
  }
}
