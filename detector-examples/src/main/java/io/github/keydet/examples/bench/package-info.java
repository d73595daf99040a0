/** JMH benchmarks, run with {@code org.openjdk.jmh.Main}, and {@link io.github.keydet.examples.bench.FirstResult}, the time to a first result in a fresh JVM. */
package io.github.keydet.examples.bench;
