/**
 * The tracer: starts and ends observations, keeps the per-thread context, samples and hands finished observations to a sink.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.core;

import org.jspecify.annotations.NullMarked;
