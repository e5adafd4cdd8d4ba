package io.github.observe4j.langfuse.internal.export;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;

/**
 * A bounded ring buffer for many producers that never blocks them: a producer claims the next
 * position with a compare-and-set on the producer index and then publishes its item into that
 * position's slot. Unlike an {@link java.util.concurrent.ArrayBlockingQueue} no producer takes
 * a lock, so producers that contend do not park each other. Consumers (the processor's worker,
 * its shutdown and a producer that raced shutdown) take turns under a lock of their own.
 * <p>
 * A position is claimed only while fewer than {@code capacity} positions are claimed and not
 * yet consumed, so the queue never holds more than its capacity. Between claim and publication
 * a slot is still empty: consumers wait a moment for it (the producer is a few instructions
 * from publishing unless it was descheduled), at most 10 ms, and otherwise stop there and try
 * again later, so that they never hang on a producer. (A producer that died between the two
 * steps, which only a {@link VirtualMachineError} could cause, would leave its slot blocking
 * the queue, which then fills up and drops, counted, rather than grow.)
 * <p>
 * After {@link #close} has drained the queue for good, a producer whose item may have arrived
 * too late to be drained calls {@link #withdraw}, which then drains and returns everything left.
 *
 * @param <T> the item type
 */
final class BoundedItemQueue<T> {

	/** Marks the slot of an item that {@link #withdraw} took back; consumers skip it. */
	private static final Object WITHDRAWN = new Object();

	/** How long a consumer waits for a claimed slot's item before giving up for now. */
	private static final long PUBLICATION_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final int PUBLICATION_SPINS = 100;

	private final int capacity;

	/** The slots, a power of two of them; position {@code p} is slot {@code p & mask}. */
	private final AtomicReferenceArray<@Nullable Object> slots;

	private final int mask;

	/** The next position a producer claims. */
	private final AtomicLong producerIndex = new AtomicLong();

	/** The next position to consume; written only under {@link #consumerLock}. */
	private volatile long consumerIndex;

	private final Object consumerLock = new Object();

	/** Set under {@link #consumerLock} once {@link #close} has drained the queue. */
	private boolean closed;

	BoundedItemQueue(int capacity) {
		if (capacity <= 0 || capacity > (1 << 30)) {
			throw new IllegalArgumentException("capacity must be between 1 and 2^30, was " + capacity);
		}
		this.capacity = capacity;
		int slotCount = Integer.highestOneBit(capacity);
		if (slotCount < capacity) {
			slotCount <<= 1;
		}
		this.slots = new AtomicReferenceArray<>(slotCount);
		this.mask = slotCount - 1;
	}

	/**
	 * Add an item unless the queue is full. Never blocks.
	 * @param item the item
	 * @return {@code false} if the queue was full
	 */
	boolean offer(T item) {
		long position;
		do {
			position = this.producerIndex.get();
			if (position - this.consumerIndex >= this.capacity) {
				return false;
			}
		}
		while (!this.producerIndex.compareAndSet(position, position + 1));
		// The slot's previous item (position - slots.length() or earlier) was consumed: the
		// consumer emptied its slot before advancing the consumer index we read above. A volatile
		// write, not a lazy one, so that a producer that then reads a shutdown flag and a
		// consumer that set the flag before finding this slot empty cannot both miss each other
		this.slots.set(slot(position), item);
		return true;
	}

	/**
	 * Move up to {@code maxItems} items, oldest first, to the given collection.
	 * @param target the collection to add to
	 * @param maxItems the maximum number of items to move
	 * @return the number of items moved
	 */
	int drainTo(Collection<? super T> target, int maxItems) {
		synchronized (this.consumerLock) {
			return drainLocked(target, maxItems);
		}
	}

	/**
	 * Drain every item for good: later {@link #withdraw} calls drain what arrives after this.
	 * @param target the collection to add to
	 * @return the number of items moved
	 */
	int close(Collection<? super T> target) {
		synchronized (this.consumerLock) {
			int drained = drainLocked(target, Integer.MAX_VALUE);
			this.closed = true;
			return drained;
		}
	}

	/**
	 * Take back an item that was offered while the queue was being closed. Before {@link #close}
	 * the item is withdrawn if no consumer has taken it yet; after it, everything still queued is
	 * drained, since nobody else will consume it.
	 * @param item the item, compared by identity
	 * @param target the collection that receives the withdrawn items
	 * @return the number of items withdrawn
	 */
	int withdraw(T item, Collection<? super T> target) {
		synchronized (this.consumerLock) {
			if (this.closed) {
				return drainLocked(target, Integer.MAX_VALUE);
			}
			long end = this.producerIndex.get();
			for (long position = this.consumerIndex; position < end; position++) {
				if (this.slots.get(slot(position)) == item) {
					this.slots.set(slot(position), WITHDRAWN);
					target.add(item);
					return 1;
				}
			}
			return 0;
		}
	}

	@SuppressWarnings("unchecked")
	private int drainLocked(Collection<? super T> target, int maxItems) {
		long position = this.consumerIndex;
		int drained = 0;
		while (drained < maxItems) {
			int slot = slot(position);
			Object item = this.slots.get(slot);
			if (item == null) {
				if (position == this.producerIndex.get()) {
					break;
				}
				item = awaitPublication(slot);
				if (item == null) {
					break;
				}
			}
			// Plain enough: the volatile write of the consumer index below publishes the empty
			// slot to the producer that reuses it
			this.slots.lazySet(slot, null);
			position++;
			if (item != WITHDRAWN) {
				target.add((T) item);
				drained++;
			}
		}
		if (position != this.consumerIndex) {
			this.consumerIndex = position;
		}
		return drained;
	}

	/** Wait a moment for the producer that claimed a slot to publish its item. */
	private @Nullable Object awaitPublication(int slot) {
		long start = 0;
		for (int check = 0;; check++) {
			Object item = this.slots.get(slot);
			if (item != null) {
				return item;
			}
			if (check < PUBLICATION_SPINS) {
				Thread.onSpinWait();
				continue;
			}
			// The producer was descheduled: let it run, but do not wait for it forever
			long now = System.nanoTime();
			if (check == PUBLICATION_SPINS) {
				start = now;
			}
			else if (now - start > PUBLICATION_WAIT_NANOS) {
				return null;
			}
			Thread.yield();
		}
	}

	private int slot(long position) {
		return (int) position & this.mask;
	}

	/**
	 * Return the number of items held, including items being published.
	 * @return the size, at most the capacity
	 */
	int size() {
		// Consumer index first: it never passes the producer index read after it
		long consumed = this.consumerIndex;
		return (int) Math.min(this.capacity, this.producerIndex.get() - consumed);
	}

	boolean isEmpty() {
		return size() == 0;
	}

}
