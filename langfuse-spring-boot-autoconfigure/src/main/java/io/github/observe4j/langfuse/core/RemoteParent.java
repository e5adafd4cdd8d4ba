package io.github.observe4j.langfuse.core;

/**
 * A trace (and optionally a parent observation) begun elsewhere, which the next outermost
 * observation on this thread joins.
 *
 * @param traceIdHigh high 64 bits of the trace id
 * @param traceIdLow low 64 bits of the trace id
 * @param parentSpanId parent observation id, or 0 to become a root in that trace
 */
record RemoteParent(long traceIdHigh, long traceIdLow, long parentSpanId) implements ObservationContext {

}
