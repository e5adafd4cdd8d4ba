package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last few traces this application sent, newest first, for a developer to look at before a
 * Langfuse project is connected: a fixed ring, written once per trace when its root ends.
 *
 * @since 0.1.0
 */
public final class RecentTraces {

	private final Entry[] ring;

	private int next;

	private long recorded;

	/**
	 * Create a ring.
	 * @param capacity how many traces it keeps
	 */
	public RecentTraces(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be positive");
		}
		this.ring = new Entry[capacity];
	}

	synchronized void record(Entry entry) {
		this.ring[this.next] = entry;
		this.next = (this.next + 1) % this.ring.length;
		this.recorded++;
	}

	/**
	 * Return the traces kept, newest first.
	 * @return the traces
	 */
	public synchronized List<Entry> newestFirst() {
		List<Entry> entries = new ArrayList<>(this.ring.length);
		for (int i = 1; i <= this.ring.length; i++) {
			Entry entry = this.ring[Math.floorMod(this.next - i, this.ring.length)];
			if (entry != null) {
				entries.add(entry);
			}
		}
		return entries;
	}

	/**
	 * Return how many traces were recorded in all.
	 * @return the count
	 */
	public synchronized long recorded() {
		return this.recorded;
	}

	/**
	 * One trace as sent.
	 *
	 * @param traceId the trace id, 32 hex digits
	 * @param name the trace name
	 * @param observations observations sent with its root: the root and those that ended before it
	 * @param endTime when its root ended
	 */
	public record Entry(String traceId, String name, int observations, Instant endTime) {

	}

}
