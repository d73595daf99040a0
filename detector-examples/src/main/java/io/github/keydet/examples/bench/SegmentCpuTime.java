package io.github.keydet.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * The two measurements of {@link SegmentBenchmarks} ({@code pre} and {@code post}, DEXTR's Java work per object)
 * timed by the calling thread's CPU time instead of the wall clock, for a shared machine whose load is above its
 * core count (see {@link EnhancedCpuTime}: waiting for a core is left out; cache and memory-bus contention are
 * not). Prints min and median of 200 calls after a warm-up of at least 300 calls and 4 s, in ms.
 *
 * <p>Run: {@code java -cp <classpath> io.github.keydet.examples.bench.SegmentCpuTime}.
 */
public final class SegmentCpuTime {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private SegmentCpuTime() {}

  public static void main(String[] args) {
    SegmentBenchmarks b = new SegmentBenchmarks();
    b.setUp();
    double pre = report("pre", () -> b.pre().length);
    double post = report("post", () -> b.post().area() > 0 ? 1 : 0);
    System.out.printf(Locale.ROOT, "%-5s thread CPU median sum %.2f ms%n", "total", pre + post);
  }

  private static double report(String name, IntSupplier call) {
    long sink = 0;
    long until = System.nanoTime() + 4_000_000_000L;
    for (int i = 0; i < 300 || System.nanoTime() < until; i++) {
      sink += call.getAsInt();
    }
    long[] ns = new long[200];
    for (int i = 0; i < ns.length; i++) {
      long t = THREADS.getCurrentThreadCpuTime();
      sink += call.getAsInt();
      ns[i] = THREADS.getCurrentThreadCpuTime() - t;
    }
    Arrays.sort(ns);
    double median = ns[ns.length / 2] / 1e6;
    System.out.printf(Locale.ROOT, "%-5s thread CPU min %.2f ms, median %.2f ms (%d)%n", name, ns[0] / 1e6, median,
        sink & 1);
    return median;
  }
}
