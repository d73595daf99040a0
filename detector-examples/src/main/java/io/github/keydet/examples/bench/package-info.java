/** JMH benchmarks; run with {@code org.openjdk.jmh.Main}. */
package io.github.keydet.examples.bench;
