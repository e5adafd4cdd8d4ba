package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;

/**
 * What the traces started within a short window with the same sampling decision share: a
 * wall-clock reading in epoch nanoseconds and the {@link System#nanoTime()} it was taken at, from
 * which they derive epoch timestamps as OpenTelemetry does, the value snapshots and the sampling
 * decision. Every trace has a {@link TraceState}, so each holds one reference to this rather than
 * two readings, a reference and a flag.
 *
 * @param epochNanos the wall-clock time in nanoseconds since the epoch
 * @param nanoTime the {@link System#nanoTime()} at the same moment
 * @param snapshots how the traces' values are snapshotted
 * @param sampled whether the traces are exported
 */
record SharedTraceState(long epochNanos, long nanoTime, ValueSnapshots snapshots, boolean sampled) {

	static SharedTraceState now(ValueSnapshots snapshots, boolean sampled) {
		Instant now = Instant.now();
		return new SharedTraceState(now.getEpochSecond() * 1_000_000_000L + now.getNano(), System.nanoTime(),
				snapshots, sampled);
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
