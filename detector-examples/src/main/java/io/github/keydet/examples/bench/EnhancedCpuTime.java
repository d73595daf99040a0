package io.github.keydet.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import io.github.keydet.core.decode.Candidate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The decodes of {@link EnhancedBenchmarks} on the same heads, timed by the calling thread's CPU time rather
 * than the wall clock: on a shared, oversubscribed machine (load well above the core count) JMH's wall-clock means
 * vary by 50-100 % because the benchmark thread waits for a core; its CPU time does not include that wait (cache
 * and memory-bus contention still show). Prints min and median of 100 calls after a warm-up of at least 150 calls and 3 s, in ms. A
 * complement to JMH for such machines, not a replacement: on a quiet machine use {@code EnhancedBenchmarks}.
 *
 * <p>Run: {@code java -cp <classpath> io.github.keydet.examples.bench.EnhancedCpuTime}.
 */
public final class EnhancedCpuTime {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private EnhancedCpuTime() {}

  public static void main(String[] args) {
    EnhancedBenchmarks b = new EnhancedBenchmarks();
    b.setUp();
    report("gridNeighborDecode", b::gridNeighborDecode);
    report("landmarkDecode", b::landmarkDecode);
    report("deepFashion2Decode", b::deepFashion2Decode);
    report("deepFashion2DecodeEveryChannel", b::deepFashion2DecodeEveryChannel);
  }

  private static void report(String name, Supplier<List<List<Candidate>>> decode) {
    long sink = 0;
    // warm-up: at least 150 calls and 3 s (150 calls alone leave GridNeighbor's loops not fully compiled)
    long until = System.nanoTime() + 3_000_000_000L;
    for (int i = 0; i < 150 || System.nanoTime() < until; i++) {
      sink += decode.get().get(0).size();
    }
    long[] ns = new long[100];
    for (int i = 0; i < ns.length; i++) {
      long t = THREADS.getCurrentThreadCpuTime();
      sink += decode.get().get(0).size();
      ns[i] = THREADS.getCurrentThreadCpuTime() - t;
    }
    Arrays.sort(ns);
    System.out.printf(Locale.ROOT, "%-31s thread CPU min %.2f ms, median %.2f ms (%d)%n", name, ns[0] / 1e6,
        ns[ns.length / 2] / 1e6, sink & 1);
  }
}
