package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;

/**
 * A wall-clock reading in epoch nanoseconds and the {@link System#nanoTime()} it was taken at:
 * traces derive epoch timestamps from it and the monotonic clock, as OpenTelemetry does. One
 * anchor is shared by the traces started within a short window, so each trace holds a reference
 * rather than the two readings.
 *
 * @param epochNanos the wall-clock time in nanoseconds since the epoch
 * @param nanoTime the {@link System#nanoTime()} at the same moment
 */
record ClockAnchor(long epochNanos, long nanoTime) {

	static ClockAnchor now() {
		Instant now = Instant.now();
		return new ClockAnchor(now.getEpochSecond() * 1_000_000_000L + now.getNano(), System.nanoTime());
	}

	/**
	 * Return the epoch time of a {@link System#nanoTime()} reading.
	 * @param nanoTime the reading
	 * @return nanoseconds since the epoch
	 */
	long epochNanos(long nanoTime) {
		return this.epochNanos + (nanoTime - this.nanoTime);
	}

}
