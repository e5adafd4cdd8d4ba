package io.github.observe4j.langfuse.internal.export;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import org.apache.commons.logging.Log;

/**
 * Turns the {@link SendOutcome} of a request into the {@link ExportResult} of the items it
 * carried, records what it says about the keys, and logs the failures users must know about:
 * rejected keys once per status, other failures at most once a minute per kind.
 */
final class OutcomeReporter {

	private static final Duration WARN_INTERVAL = Duration.ofMinutes(1);

	private final ExporterStats stats;

	private final Log log;

	private final ThrottledLog throttledLog;

	private final String itemNoun;

	/**
	 * Whether the requests carry Langfuse's keys, so that a 2xx accepts them and a 401 or 403
	 * rejects them; a collector's answers say nothing about the keys.
	 */
	private final boolean judgesKeys;

	/**
	 * Items delivered since the batch being exported started: read by a shutdown that stops
	 * waiting for that export, so that what it delivered before it got stuck counts as exported.
	 */
	private final AtomicInteger deliveredInExport = new AtomicInteger();

	/**
	 * Create a reporter.
	 * @param stats where to record the authentication state
	 * @param log where to log
	 * @param itemNoun what an item is called in messages, e.g. "observation"
	 * @param judgesKeys whether the requests are sent with Langfuse's keys
	 */
	OutcomeReporter(ExporterStats stats, Log log, String itemNoun, boolean judgesKeys) {
		this.stats = stats;
		this.log = log;
		this.throttledLog = new ThrottledLog(log, WARN_INTERVAL);
		this.itemNoun = itemNoun;
		this.judgesKeys = judgesKeys;
	}

	/** Count the items delivered from zero: a batch's export starts. */
	void exportStarted() {
		this.deliveredInExport.set(0);
	}

	/**
	 * Return how many items were delivered since {@link #exportStarted}.
	 * @return the count
	 */
	int deliveredInExport() {
		return this.deliveredInExport.get();
	}

	ExportResult report(SendOutcome outcome, int count, String path) {
		return switch (outcome.kind()) {
			case SUCCESS -> {
				if (this.judgesKeys) {
					this.stats.recordAuthAccepted();
				}
				if (outcome.possiblyDuplicated()) {
					this.stats.recordPossiblyDuplicated(count);
				}
				this.deliveredInExport.addAndGet(count);
				yield ExportResult.success(count);
			}
			case REJECTED -> rejected(outcome, count, path);
			case EXHAUSTED -> {
				this.throttledLog.warn("exhausted", () -> "Could not deliver " + items(count)
						+ " to Langfuse (" + path + "), dropping them: " + outcome.message());
				yield ExportResult.dropped(DropReason.RETRIES_EXHAUSTED, count, outcome.message());
			}
			case ABORTED -> {
				if (this.log.isDebugEnabled()) {
					this.log.debug("Gave up on " + items(count) + " at shutdown: " + outcome.message());
				}
				yield ExportResult.dropped(DropReason.SHUTDOWN, count, outcome.message());
			}
		};
	}

	/**
	 * Report a 2xx whose answer says that some of its items were not kept (OTLP's partial
	 * success): they are dropped as rejected, since sending them again cannot help.
	 */
	ExportResult partlyRejected(SendOutcome outcome, int count, int rejected, String message, String path) {
		this.throttledLog.warn("partly-rejected", () -> path + " accepted the request but not " + rejected + " of its "
				+ items(count) + ", dropping those without retry" + (message.isEmpty() ? "" : ": " + message));
		return report(outcome, count - rejected, path).plus(ExportResult.dropped(DropReason.REJECTED, rejected,
				message.isEmpty() ? "partial success: " + rejected + " rejected" : message));
	}

	/**
	 * Report items that were not sent because an earlier request of the batch failed in a way
	 * that would fail them too.
	 */
	ExportResult skipped(SendOutcome cause, int count) {
		DropReason reason = switch (cause.kind()) {
			case ABORTED -> DropReason.SHUTDOWN;
			case EXHAUSTED -> DropReason.RETRIES_EXHAUSTED;
			default -> DropReason.REJECTED;
		};
		return ExportResult.dropped(reason, count, cause.message());
	}

	/**
	 * Report items that were rejected before sending, for example a score with a value that
	 * JSON cannot carry.
	 */
	ExportResult invalid(int count, String problem) {
		this.throttledLog.warn("invalid", () -> "Dropping " + items(count) + ": " + problem);
		return ExportResult.dropped(DropReason.REJECTED, count, problem);
	}

	private String items(int count) {
		return count + " " + this.itemNoun + ((count != 1) ? "s" : "");
	}

	private ExportResult rejected(SendOutcome outcome, int count, String path) {
		if (!this.judgesKeys) {
			// a collector's refusal, of its own credentials (langfuse.export.headers) or of the data
			this.throttledLog.warn("rejected-" + outcome.status(), () -> path + " refused " + items(count) + " ("
					+ outcome.status() + "), dropping them without retry: " + outcome.message());
		}
		else if (outcome.isAuthRejected()) {
			if (this.stats.recordAuthRejected(outcome.status(), outcome.message())) {
				this.log.warn(ServerMessages.authRejected(outcome.status(), outcome.message(),
						Character.toUpperCase(this.itemNoun.charAt(0)) + this.itemNoun.substring(1) + "s sent to "
								+ path + " are dropped"));
			}
		}
		else {
			this.throttledLog.warn("rejected-" + outcome.status(), () -> "Langfuse rejected " + items(count) + " ("
					+ path + "), dropping them without retry: " + outcome.message());
		}
		return ExportResult.dropped(DropReason.REJECTED, count, outcome.message());
	}

}
