package io.github.observe4j.langfuse.internal.export;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Exports batches of items to Langfuse. Called by the single worker thread of a
 * {@link BatchProcessor}, one batch at a time, so implementations need no locking for state
 * that only {@code export} touches. An exporter that can split the CPU part of an export from
 * the waiting ({@link #prepareExport}) lets the worker prepare the next batch while the
 * previous one's request is out; one request is still out at a time.
 *
 * @param <T> the item type
 * @since 0.1.0
 */
public interface BatchExporter<T> {

	/**
	 * Export a batch synchronously, including all retries. Implementations should not throw:
	 * every item that cannot be delivered is reported in the result. When the calling thread is
	 * interrupted, give up promptly and report the rest as
	 * {@link ExporterStats.DropReason#SHUTDOWN}.
	 * @param batch the items, never empty; must not be modified or kept
	 * @return what became of the items
	 */
	ExportResult export(List<T> batch);

	/**
	 * Do the part of exporting a batch that needs no network, to be sent later through the
	 * returned {@link PreparedExport}: the processor calls it for the next batch while the
	 * previous batch's request is out, and sends only once that one is finished. Must not
	 * block on the network; the same contract as {@link #export} otherwise.
	 * @param batch the items, never empty; must not be modified, and kept only until the
	 * returned export is finished
	 * @return the prepared export, or {@code null} if this exporter does all its work in
	 * {@link #export} (the default)
	 */
	default @Nullable PreparedExport prepareExport(List<T> batch) {
		return null;
	}

	/**
	 * Stop retrying once the given time has elapsed: from then on no backoff wait may end later,
	 * and an export still in progress gives up and reports its remaining items as
	 * {@link ExporterStats.DropReason#SHUTDOWN}. Called by the processor, from any thread, when
	 * shutdown starts, so that a shutdown never waits longer than its timeout.
	 * @param timeLeft how long exports may still take
	 */
	default void abortRetriesAfter(Duration timeLeft) {
	}

	/**
	 * Keep items that shutdown could not export for the next start, if a {@link RequestSpool}
	 * is configured. Called by the processor, after its worker stopped, with what was left in
	 * the queue.
	 * @param items the items, never empty
	 * @return what became of them: spooled, or dropped as
	 * {@link ExporterStats.DropReason#SHUTDOWN} when there is no spool or it is full
	 */
	default ExportResult spool(List<T> items) {
		return ExportResult.dropped(ExporterStats.DropReason.SHUTDOWN, items.size(), "shut down before export");
	}

	/**
	 * Called by the processor just before it hands a batch to {@link #export}, before shutdown
	 * can claim that batch: the moment to start counting what of it is spooled.
	 */
	default void beforeExport() {
	}

	/**
	 * Refuse to spool anything more, and say how many items of the batch being exported were
	 * spooled so far. Called by the processor when shutdown stops waiting for an export, before
	 * it counts that batch, so that no item is both spooled and counted as dropped.
	 * @return how many items of the current export were spooled
	 */
	default int stopSpooling() {
		return 0;
	}

	/**
	 * Say how many items of the batch being exported were delivered so far, counted from
	 * {@link #beforeExport}. Called by the processor, from another thread, when shutdown stops
	 * waiting for an export, after {@link #stopSpooling}: what the export delivered before it got
	 * stuck is counted as exported, the rest of its batch as dropped.
	 * @return how many items of the current export were delivered
	 */
	default int deliveredInExport() {
		return 0;
	}

	/**
	 * One-off setup the application's startup thread should not pay for (such as building the
	 * serializer of captured values). Called once by the processor's worker when it starts,
	 * before {@link #replaySpooled()} and the first export.
	 */
	default void prepare() {
	}

	/**
	 * Send what an earlier run kept in the spool. Called once by the processor's worker, before
	 * its first export; records what it delivered or dropped in the stats itself.
	 */
	default void replaySpooled() {
	}

	/**
	 * Release resources. Called once, after the last export.
	 */
	default void shutdown() {
	}

}
