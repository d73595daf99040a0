package io.github.keydet.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of direct output buffers that ONNX Runtime writes the heads into ("pinned" outputs), so a run's heads
 * are decoded in place instead of being copied out of native memory first (5 MB per run for an 80-class
 * 128x128 heatmap). One set per call in flight; sets are reused by later calls, at most {@code maxIdle} kept
 * per batch size. Thread-safe. Buffers are plain direct memory, freed by the garbage collector when dropped.
 */
final class OutputBuffers {
  private final Map<String, long[]> shapesOfBatchOne;
  private final int maxIdle;
  private final Map<Integer, ConcurrentLinkedQueue<Map<String, ByteBuffer>>> idle = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> idleCount = new ConcurrentHashMap<>();

  /**
   * A pool.
   *
   * @param shapesOfBatchOne output name to shape with batch dimension 1 (all dimensions known)
   * @param maxIdle sets kept per batch size when returned
   */
  OutputBuffers(Map<String, long[]> shapesOfBatchOne, int maxIdle) {
    this.shapesOfBatchOne = new LinkedHashMap<>(shapesOfBatchOne);
    this.maxIdle = maxIdle;
  }

  /** The shape of an output for a batch size. */
  long[] shape(String output, int batch) {
    long[] s = shapesOfBatchOne.get(output).clone();
    s[0] = batch;
    return s;
  }

  /** A set of buffers for a batch size, from the pool or new. */
  Map<String, ByteBuffer> borrow(int batch) {
    ConcurrentLinkedQueue<Map<String, ByteBuffer>> q = idle.get(batch);
    Map<String, ByteBuffer> set = q == null ? null : q.poll();
    if (set != null) {
      idleCount.get(batch).decrementAndGet();
      return set;
    }
    Map<String, ByteBuffer> fresh = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : shapesOfBatchOne.entrySet()) {
      long n = batch;
      for (int i = 1; i < e.getValue().length; i++) {
        n *= e.getValue()[i];
      }
      fresh.put(e.getKey(), ByteBuffer.allocateDirect(Math.toIntExact(n * Float.BYTES)).order(ByteOrder.nativeOrder()));
    }
    return fresh;
  }

  /** Gives a set back for reuse. */
  void giveBack(int batch, Map<String, ByteBuffer> set) {
    AtomicInteger count = idleCount.computeIfAbsent(batch, b -> new AtomicInteger());
    if (count.incrementAndGet() <= maxIdle) {
      idle.computeIfAbsent(batch, b -> new ConcurrentLinkedQueue<>()).add(set);
    } else {
      count.decrementAndGet();
    }
  }
}
