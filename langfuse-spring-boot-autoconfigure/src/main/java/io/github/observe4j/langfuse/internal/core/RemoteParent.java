package io.github.observe4j.langfuse.internal.core;

import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * A trace (and optionally a parent observation) begun elsewhere, which the next outermost
 * observation on this thread joins.
 *
 * @param traceIdHigh high 64 bits of the trace id
 * @param traceIdLow low 64 bits of the trace id
 * @param parentSpanId parent observation id, or 0 to become a root in that trace
 * @param sampled the sampling decision of the service the trace came from (a traceparent's
 * sampled flag), or {@code null} to decide here from the sample rate
 */
record RemoteParent(long traceIdHigh, long traceIdLow, long parentSpanId,
		@Nullable Boolean sampled) implements ObservationContext {

	@Override
	public String traceIdHex() {
		return TraceState.traceIdHex(this.traceIdHigh, this.traceIdLow);
	}

	@Override
	public @Nullable String observationIdHex() {
		return (this.parentSpanId != 0) ? HexFormat.of().toHexDigits(this.parentSpanId) : null;
	}

}
