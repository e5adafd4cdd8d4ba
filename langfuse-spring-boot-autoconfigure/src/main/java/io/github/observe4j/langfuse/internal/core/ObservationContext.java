package io.github.observe4j.langfuse.internal.core;

/**
 * What a thread knows about the trace it works for: the current observation (a
 * {@link LangfuseSpan}), or a trace begun elsewhere that the next observation joins. Handed from
 * thread to thread by context propagation; opaque to everything else.
 *
 * @since 0.1.0
 */
public sealed interface ObservationContext permits LangfuseSpan, RemoteParent {

}
