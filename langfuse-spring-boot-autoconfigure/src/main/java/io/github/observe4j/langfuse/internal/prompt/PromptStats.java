package io.github.observe4j.langfuse.internal.prompt;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts how prompt requests were served and how many fetches failed, for the metrics.
 *
 * @since 0.1.0
 */
public final class PromptStats {

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder stale = new LongAdder();

	private final LongAdder fallbacks = new LongAdder();

	private final LongAdder fetchFailures = new LongAdder();

	void recordHit() {
		this.hits.increment();
	}

	void recordMiss() {
		this.misses.increment();
	}

	void recordStale() {
		this.stale.increment();
	}

	void recordFallback() {
		this.fallbacks.increment();
	}

	void recordFetchFailure() {
		this.fetchFailures.increment();
	}

	/**
	 * Return the requests served from a cached copy younger than the TTL.
	 * @return the count
	 */
	public long hits() {
		return this.hits.sum();
	}

	/**
	 * Return the requests that had to wait for Langfuse: no cached copy, or a TTL of 0.
	 * @return the count
	 */
	public long misses() {
		return this.misses.sum();
	}

	/**
	 * Return the requests served from a cached copy older than the TTL, while a newer one is
	 * fetched or because Langfuse failed.
	 * @return the count
	 */
	public long stale() {
		return this.stale.sum();
	}

	/**
	 * Return the requests answered with the application's fallback.
	 * @return the count
	 */
	public long fallbacks() {
		return this.fallbacks.sum();
	}

	/**
	 * Return the fetches that failed: unreachable, timed out, an error status or an unreadable
	 * answer.
	 * @return the count
	 */
	public long fetchFailures() {
		return this.fetchFailures.sum();
	}

	@Override
	public String toString() {
		return "PromptStats[hits=" + hits() + ", misses=" + misses() + ", stale=" + stale() + ", fallbacks="
				+ fallbacks() + ", fetchFailures=" + fetchFailures() + "]";
	}

}
