package io.github.observe4j.langfuse.internal.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.observe4j.langfuse.internal.model.ByteBudget;

/**
 * Bounds how many ended observations may be held back until their trace's root ends: at most
 * so many per trace, at most so many across all traces of one tracer, and within the byte
 * budget that the export queues share, so that held-back and queued observations together never
 * take more than {@code langfuse.export.max-queue-bytes}. One budget is shared by every
 * {@link TraceState} a tracer creates; it is lock-free, as each held observation takes and gives
 * back its place with atomic updates.
 * <p>
 * Held-back observations take at most half of the byte budget: a root that never ends (a handle
 * never closed, a stream that never terminates) keeps its held observations' bytes, and must not
 * be able to starve the export of the rest. Beyond that half they are exported at once, with the
 * trace attributes known then, as beyond the item bounds.
 */
final class HoldBackBudget {

	private final int maxPerTrace;

	private final int maxTotal;

	private final ByteBudget bytes;

	private final long maxHeldBytes;

	private final AtomicInteger held = new AtomicInteger();

	private final AtomicLong heldBytes = new AtomicLong();

	HoldBackBudget(int maxPerTrace, int maxTotal, ByteBudget bytes) {
		this.maxPerTrace = maxPerTrace;
		this.maxTotal = maxTotal;
		this.bytes = bytes;
		this.maxHeldBytes = bytes.capacity() / 2;
	}

	/**
	 * Take a place for one more observation of a trace that already holds {@code heldInTrace}.
	 * @param heldInTrace how many observations the trace holds now
	 * @param retainedBytes the observation's size estimate
	 * @return whether the observation may be held; {@code false} once any bound is reached
	 */
	boolean tryHold(int heldInTrace, long retainedBytes) {
		if (heldInTrace >= this.maxPerTrace) {
			return false;
		}
		if (this.held.incrementAndGet() <= this.maxTotal) {
			if (this.heldBytes.addAndGet(retainedBytes) <= this.maxHeldBytes) {
				if (this.bytes.tryReserve(retainedBytes)) {
					return true;
				}
			}
			this.heldBytes.addAndGet(-retainedBytes);
		}
		this.held.decrementAndGet();
		return false;
	}

	/**
	 * Give back the places of observations released together.
	 * @param count how many were released
	 * @param retainedBytes their size estimates added up
	 */
	void release(int count, long retainedBytes) {
		this.held.addAndGet(-count);
		this.heldBytes.addAndGet(-retainedBytes);
		this.bytes.release(retainedBytes);
	}

	/**
	 * Return how many observations are held now, across all traces.
	 * @return the number held
	 */
	int held() {
		return this.held.get();
	}

}
