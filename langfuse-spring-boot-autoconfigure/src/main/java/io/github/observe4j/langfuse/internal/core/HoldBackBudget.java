package io.github.observe4j.langfuse.internal.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds how many ended observations may be held back until their trace's root ends: at most
 * so many per trace, and at most so many across all traces of one tracer. One budget is shared
 * by every {@link TraceState} a tracer creates; it is lock-free, as each held observation takes
 * and gives back its place with one atomic update.
 */
final class HoldBackBudget {

	private final int maxPerTrace;

	private final int maxTotal;

	private final AtomicInteger held = new AtomicInteger();

	HoldBackBudget(int maxPerTrace, int maxTotal) {
		this.maxPerTrace = maxPerTrace;
		this.maxTotal = maxTotal;
	}

	/**
	 * Take a place for one more observation of a trace that already holds {@code heldInTrace}.
	 * @param heldInTrace how many observations the trace holds now
	 * @return whether the observation may be held; {@code false} once either bound is reached
	 */
	boolean tryHold(int heldInTrace) {
		if (heldInTrace >= this.maxPerTrace) {
			return false;
		}
		if (this.held.incrementAndGet() <= this.maxTotal) {
			return true;
		}
		this.held.decrementAndGet();
		return false;
	}

	/**
	 * Give back the places of observations released together.
	 * @param count how many were released
	 */
	void release(int count) {
		this.held.addAndGet(-count);
	}

	/**
	 * Return how many observations are held now, across all traces.
	 * @return the number held
	 */
	int held() {
		return this.held.get();
	}

}
