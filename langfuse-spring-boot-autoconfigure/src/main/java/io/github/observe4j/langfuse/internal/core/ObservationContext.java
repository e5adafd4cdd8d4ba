package io.github.observe4j.langfuse.internal.core;

import org.jspecify.annotations.Nullable;

/**
 * What a thread knows about the trace it works for: the current observation (a
 * {@link LangfuseSpan}), or a trace begun elsewhere that the next observation joins. Handed from
 * thread to thread by context propagation; opaque to everything else.
 *
 * @since 0.1.0
 */
public sealed interface ObservationContext permits LangfuseSpan, RemoteParent {

	/**
	 * Return the trace id.
	 * @return 32 lowercase hex digits
	 */
	String traceIdHex();

	/**
	 * Return the id of the observation that new observations become children of.
	 * @return 16 lowercase hex digits, or {@code null} for a trace joined without a parent
	 */
	@Nullable String observationIdHex();

}
