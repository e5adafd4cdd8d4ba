package io.github.observe4j.langfuse.internal.model;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A number of bytes that items waiting for export may take up together, shared by everything
 * that keeps such items: the export queues and the observations held back until their trace's
 * root ends. An item reserves its estimated size before it is kept and gives it back when it is
 * let go; an item whose reservation would pass the capacity is refused. Lock-free: one
 * compare-and-set per reservation.
 * <p>
 * Exact: the bytes reserved never exceed the capacity, however many threads reserve at once,
 * because a reservation is only written if the total it read still leaves room.
 *
 * @since 0.1.0
 */
public final class ByteBudget {

	private final long capacity;

	private final AtomicLong reserved = new AtomicLong();

	/**
	 * Create a budget.
	 * @param capacity the most bytes that may be reserved at once, positive
	 */
	public ByteBudget(long capacity) {
		if (capacity <= 0) {
			throw new IllegalArgumentException("capacity must be positive, was " + capacity);
		}
		this.capacity = capacity;
	}

	/**
	 * Return a budget that refuses nothing, for pipelines that keep nothing or set no bound.
	 * @return a new unlimited budget
	 */
	public static ByteBudget unlimited() {
		return new ByteBudget(Long.MAX_VALUE);
	}

	/**
	 * Reserve bytes unless that would pass the capacity.
	 * @param bytes how many, zero or more
	 * @return {@code false} if there is not enough room; nothing is reserved then
	 */
	public boolean tryReserve(long bytes) {
		long current;
		do {
			current = this.reserved.get();
			if (bytes > this.capacity - current) {
				return false;
			}
		}
		while (!this.reserved.compareAndSet(current, current + bytes));
		return true;
	}

	/**
	 * Give back bytes reserved earlier.
	 * @param bytes how many, exactly as reserved
	 */
	public void release(long bytes) {
		if (bytes != 0) {
			this.reserved.addAndGet(-bytes);
		}
	}

	/**
	 * Return how many bytes are reserved now.
	 * @return the reserved bytes
	 */
	public long reserved() {
		return this.reserved.get();
	}

	/**
	 * Return the most bytes that may be reserved at once.
	 * @return the capacity, {@link Long#MAX_VALUE} for an unlimited budget
	 */
	public long capacity() {
		return this.capacity;
	}

	@Override
	public String toString() {
		return "ByteBudget[" + reserved() + "/" + this.capacity + "]";
	}

}
