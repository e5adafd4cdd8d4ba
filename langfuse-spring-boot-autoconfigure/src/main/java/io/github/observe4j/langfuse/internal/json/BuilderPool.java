package io.github.observe4j.langfuse.internal.json;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few string builders shared by the threads that serialize captured values, so that a value
 * costs the caller the text it keeps rather than a builder grown for it each time. Lock-free
 * and bounded: at most {@value #SLOTS} builders of at most {@value #MAX_RETAINED_CAPACITY}
 * chars are kept; a thread that finds none free makes a new one.
 */
final class BuilderPool {

	static final int SLOTS = 8;

	static final int MAX_RETAINED_CAPACITY = 64 * 1024;

	private static final int INITIAL_CAPACITY = 256;

	private final AtomicReferenceArray<StringBuilder> slots = new AtomicReferenceArray<>(SLOTS);

	/**
	 * Take an empty builder.
	 * @return a builder from the pool, or a new one
	 */
	StringBuilder take() {
		int start = start();
		for (int i = 0; i < SLOTS; i++) {
			StringBuilder builder = this.slots.getAndSet((start + i) & (SLOTS - 1), null);
			if (builder != null) {
				return builder;
			}
		}
		return new StringBuilder(INITIAL_CAPACITY);
	}

	/**
	 * Give a builder back, unless it grew too large to keep.
	 * @param builder the builder, no longer used by the caller
	 */
	void release(StringBuilder builder) {
		if (builder.capacity() > MAX_RETAINED_CAPACITY) {
			return;
		}
		builder.setLength(0);
		int start = start();
		for (int i = 0; i < SLOTS; i++) {
			if (this.slots.compareAndSet((start + i) & (SLOTS - 1), null, builder)) {
				return;
			}
		}
	}

	private static int start() {
		// threads start at different slots, so that they seldom meet
		return (int) Thread.currentThread().getId();
	}

}
