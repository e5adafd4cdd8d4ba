package io.github.observe4j.langfuse.internal.core;

import java.util.Map;

import io.github.observe4j.langfuse.model.ObservationLevel;
import org.jspecify.annotations.Nullable;

/**
 * What few observations record: metadata, a level, a status message, a version, a failure, the
 * flags of framework calls, the fields of a generation and what a handle was opened over. A
 * {@link LangfuseSpan} creates one the first time any of these is set, so that the span of an
 * ordinary {@code @Observe} call is 24 bytes smaller.
 * <p>
 * Not thread-safe: written under the owning span's monitor while it is open, read by the exporter
 * once the span has ended; {@link #openedOver} is also read without a lock by any thread that
 * sees the span ended (see its comment).
 */
final class SpanDetails {

	/** Read in place of the details of a span that has none; never written. */
	static final SpanDetails NONE = new SpanDetails();

	@Nullable Map<String, Object> metadata;

	@Nullable ObservationLevel level;

	@Nullable String statusMessage;

	boolean failed;

	@Nullable String version;

	/** Whether a framework integration started this observation; such ones never absorb calls. */
	boolean llmCall;

	/** Whether the output came from an absorbed call, which a later absorbed call may replace. */
	boolean outputAbsorbed;

	/** What only a generation records; created by the first generation-only update. */
	@Nullable GenerationFields generation;

	/**
	 * For a span opened by a handle: the context it was opened over, to fall back to once ended.
	 * Written under the span's monitor before the handle is returned, so before anything can end
	 * the span, and read only once its volatile end flag is seen set, so readers need no lock.
	 */
	@Nullable ObservationContext openedOver;

}
