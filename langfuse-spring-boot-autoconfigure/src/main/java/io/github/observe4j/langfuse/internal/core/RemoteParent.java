package io.github.observe4j.langfuse.internal.core;

import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * A trace (and optionally a parent observation) begun elsewhere, which the next outermost
 * observation on this thread joins. A joined one is current until the scope that joined it
 * closes; once closed, the joining thread skips it for what it was joined over, so that a scope
 * closed out of order or on another thread leaves nothing joined behind on that thread. Other
 * threads, and work handed off from the joining thread ({@link #handedOut()}), keep the trace:
 * the closing is about the joining thread's own context, not about the trace.
 */
final class RemoteParent implements ObservationContext {

	private final long traceIdHigh;

	private final long traceIdLow;

	private final long parentSpanId;

	private final @Nullable Boolean sampled;

	// written by the joining thread before the scope can be closed
	private @Nullable ObservationContext joinedOver;

	// the joining thread, the only one on which a closed join is skipped; 0 for none
	private long joiningThreadId;

	private volatile boolean closed;

	// what is handed to other threads: the same ids, never closed by the joining scope; made with
	// the join, final, so that every thread sees the one copy, fully built
	private final RemoteParent handedOut;

	/**
	 * Create a remote parent.
	 * @param traceIdHigh high 64 bits of the trace id
	 * @param traceIdLow low 64 bits of the trace id
	 * @param parentSpanId parent observation id, or 0 to become a root in that trace
	 * @param sampled the sampling decision of the service the trace came from (a traceparent's
	 * sampled flag), or {@code null} to decide here from the sample rate
	 */
	RemoteParent(long traceIdHigh, long traceIdLow, long parentSpanId, @Nullable Boolean sampled) {
		this.traceIdHigh = traceIdHigh;
		this.traceIdLow = traceIdLow;
		this.parentSpanId = parentSpanId;
		this.sampled = sampled;
		this.handedOut = new RemoteParent(this);
	}

	/** The copy of a join that is handed out: never closed. */
	private RemoteParent(RemoteParent original) {
		this.traceIdHigh = original.traceIdHigh;
		this.traceIdLow = original.traceIdLow;
		this.parentSpanId = original.parentSpanId;
		this.sampled = original.sampled;
		this.handedOut = this;
	}

	long traceIdHigh() {
		return this.traceIdHigh;
	}

	long traceIdLow() {
		return this.traceIdLow;
	}

	long parentSpanId() {
		return this.parentSpanId;
	}

	@Nullable Boolean sampled() {
		return this.sampled;
	}

	/**
	 * Remember what this was joined over, which becomes current again once it is closed, and
	 * that the calling thread joined it.
	 */
	@SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
	void joinedOver(@Nullable ObservationContext previous) {
		this.joinedOver = previous;
		this.joiningThreadId = Thread.currentThread().getId();
	}

	/** Close the join: from now on, the joining thread sees what it was joined over. */
	void close() {
		this.closed = true;
	}

	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Whether the current thread is to skip this join: it is the joining thread and the scope
	 * has closed. Elsewhere a closed join is still the trace the work belongs to.
	 */
	boolean isClosedOnThisThread() {
		return this.closed && isJoiningThread();
	}

	/** Whether the current thread is the one that joined this trace. */
	@SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
	boolean isJoiningThread() {
		return this.joiningThreadId == Thread.currentThread().getId();
	}

	/**
	 * Return this trace as it is handed to work that runs elsewhere (a wrapped task, a Reactor
	 * or Micrometer context snapshot): a copy its scope does not close, so that the work stays in
	 * the trace however long it runs; the same copy every time.
	 * @return the copy
	 */
	RemoteParent handedOut() {
		return this.handedOut;
	}

	/** What this was joined over, current again once it is closed; {@code null} for nothing. */
	@Nullable ObservationContext joinedOver() {
		return this.joinedOver;
	}

	@Override
	public String traceIdHex() {
		return TraceState.traceIdHex(this.traceIdHigh, this.traceIdLow);
	}

	@Override
	public @Nullable String observationIdHex() {
		return (this.parentSpanId != 0) ? HexFormat.of().toHexDigits(this.parentSpanId) : null;
	}

	@Override
	public String toString() {
		return "RemoteParent[" + traceIdHex() + ", parent " + observationIdHex() + ", sampled " + this.sampled + "]";
	}

}
