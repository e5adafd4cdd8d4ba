/**
 * JMH benchmarks: the per-call cost of {@code @Observe} against the ways peers trace the same bean
 * method, and the export throughput to a loopback HTTP server.
 */
@NullMarked
package io.github.observe4j.langfuse.benchmarks;

import org.jspecify.annotations.NullMarked;
