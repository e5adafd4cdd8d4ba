package io.github.observe4j.langfuse.internal.export.otlp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a recurring warning through at most once per interval, so that a steady stream of bad
 * data cannot flood the application's log.
 */
final class ThrottledLog {

	private final long intervalNanos;

	private final AtomicLong lastNanos;

	ThrottledLog(long interval, TimeUnit unit) {
		this.intervalNanos = unit.toNanos(interval);
		this.lastNanos = new AtomicLong(System.nanoTime() - this.intervalNanos);
	}

	/**
	 * Return whether the warning may be logged now; if so, the next one has to wait a full
	 * interval.
	 * @return whether to log
	 */
	boolean tryAcquire() {
		long now = System.nanoTime();
		long last = this.lastNanos.get();
		return now - last >= this.intervalNanos && this.lastNanos.compareAndSet(last, now);
	}

}
