package io.github.observe4j.langfuse.internal.export;

import java.time.Duration;

import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;

/**
 * The warning that an export queue is full, at most once per interval: full in items
 * ({@link DropReason#QUEUE_FULL}) or in bytes ({@link DropReason#QUEUE_BYTES_FULL}), each with its
 * own warning. The first dropped item
 * after the warning was re-armed logs it; the worker re-arms it once the interval has passed.
 * So the callers of an application that outpaces Langfuse read one flag per dropped item, rather
 * than the clock and the throttled log's lock, which still suppresses racing duplicates.
 */
final class QueueFullWarning {

	private final String queueName;

	private final DropReason reason;

	private final ExporterStats stats;

	private final ThrottledLog log;

	private final long intervalNanos;

	/** Whether the next dropped item logs the warning. */
	private volatile boolean due = true;

	/** When the warning was last logged, in {@link System#nanoTime()} terms. */
	private volatile long warnedNanos;

	QueueFullWarning(String queueName, DropReason reason, ExporterStats stats, ThrottledLog log, Duration interval) {
		this.queueName = queueName;
		this.reason = reason;
		this.stats = stats;
		this.log = log;
		this.intervalNanos = interval.toNanos();
	}

	/** Called by a caller whose item was dropped. */
	void itemDropped() {
		if (!this.due) {
			return;
		}
		this.due = false;
		this.warnedNanos = System.nanoTime();
		if (this.reason == DropReason.QUEUE_BYTES_FULL) {
			this.log.warn("queue-bytes-full", () -> "Langfuse export queue '" + this.queueName + "' is full in bytes"
					+ " (langfuse.export.max-queue-bytes=" + describeBytes(this.stats.maxQueueBytes())
					+ ", shared by the queues and the observations held back for their trace), dropping items: Langfuse is"
					+ " unreachable or slower than items are produced ("
					+ this.stats.dropped(DropReason.QUEUE_BYTES_FULL) + " dropped so far)");
			return;
		}
		this.log.warn("queue-full", () -> "Langfuse export queue '" + this.queueName + "' is full (capacity "
				+ this.stats.queueCapacity() + "), dropping items: Langfuse is unreachable or slower than items"
				+ " are produced (" + this.stats.dropped(DropReason.QUEUE_FULL) + " dropped so far)");
	}

	private static String describeBytes(long bytes) {
		long megabyte = 1024 * 1024;
		return (bytes % megabyte == 0) ? (bytes / megabyte) + "MB" : bytes + "B";
	}

	/** Called by the worker on each turn. */
	void rearmIfDue(long now) {
		if (!this.due && now - this.warnedNanos >= this.intervalNanos) {
			this.due = true;
		}
	}

}
