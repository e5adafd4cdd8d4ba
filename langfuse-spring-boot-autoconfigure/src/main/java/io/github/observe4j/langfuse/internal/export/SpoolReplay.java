package io.github.observe4j.langfuse.internal.export;

import java.time.Duration;
import java.util.function.Function;

import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * Sends one kind of request that an earlier run kept in a {@link RequestSpool}, oldest first,
 * deleting each file once Langfuse acknowledged it or refused it for good. Stops at the first
 * request that cannot be delivered now (Langfuse unreachable, keys rejected, shutdown): the
 * rest stay for the next start, in order.
 */
final class SpoolReplay {

	/**
	 * Longest retrying of one kept request at startup: live items wait behind the replay, so a
	 * Langfuse still down at startup leaves the files for the next start instead.
	 */
	static final Duration MAX_RETRY_DURATION = Duration.ofSeconds(30);

	private final RequestSpool spool;

	private final String kind;

	private final String itemNoun;

	private final ExporterStats stats;

	private final Log log;

	/** Whether the kept requests go with Langfuse's keys, as in {@link OutcomeReporter}. */
	private final boolean judgesKeys;

	SpoolReplay(RequestSpool spool, String kind, String itemNoun, ExporterStats stats, Log log, boolean judgesKeys) {
		this.spool = spool;
		this.kind = kind;
		this.itemNoun = itemNoun;
		this.stats = stats;
		this.log = log;
		this.judgesKeys = judgesKeys;
	}

	/**
	 * Return the retry policy for replaying: the given one, retrying for at most
	 * {@link #MAX_RETRY_DURATION}.
	 * @param policy the export's policy
	 * @return the replay's policy
	 */
	static RetryPolicy retryPolicy(RetryPolicy policy) {
		return (policy.maxRetryDuration().compareTo(MAX_RETRY_DURATION) <= 0) ? policy
				: policy.withMaxRetryDuration(MAX_RETRY_DURATION);
	}

	/**
	 * Send the kept requests.
	 * @param sender sends one body, with retries, and reports the outcome
	 */
	void run(Function<byte[], SendOutcome> sender) {
		int delivered = 0;
		int rejected = 0;
		String rejectedMessage = "";
		for (RequestSpool.Entry entry : this.spool.entries(this.kind)) {
			if (Thread.currentThread().isInterrupted()) {
				break;
			}
			byte[] body = this.spool.read(entry);
			if (body == null) {
				continue;
			}
			SendOutcome outcome = sender.apply(body);
			// an OTLP server may accept a request and keep only some of its spans
			PartialSuccess partial = PartialSuccess.of(outcome);
			int notKept = (partial != null) ? partial.rejectedOf(entry.itemCount()) : 0;
			@Nullable String stop = handle(entry, outcome, notKept);
			if (partial != null) {
				rejected += notKept;
				rejectedMessage = partial.message();
			}
			if (outcome.kind() == SendOutcome.Kind.SUCCESS) {
				delivered += entry.itemCount() - notKept;
			}
			if (stop != null) {
				this.log.warn("Could not send the " + this.itemNoun + "s an earlier run kept in " + this.spool.directory()
						+ " (" + stop + "); they stay there for the next start");
				break;
			}
		}
		if (rejected > 0) {
			this.log.warn("The server accepted the requests an earlier run kept but not " + rejected + " of their "
					+ this.itemNoun + "s, dropping those" + (rejectedMessage.isEmpty() ? "" : ": " + rejectedMessage));
		}
		if (delivered > 0) {
			this.log.info("Sent " + delivered + " " + this.itemNoun + "(s) that an earlier run kept in "
					+ this.spool.directory());
		}
	}

	/** Return why to stop, or {@code null} to go on with the next file. */
	private @Nullable String handle(RequestSpool.Entry entry, SendOutcome outcome, int notKept) {
		switch (outcome.kind()) {
			case SUCCESS -> {
				this.spool.delete(entry);
				if (this.judgesKeys) {
					this.stats.recordAuthAccepted();
				}
				this.stats.recordReplayed(entry.itemCount() - notKept);
				if (notKept > 0) {
					this.stats.recordDropped(DropReason.REJECTED, notKept);
				}
				if (outcome.possiblyDuplicated() || entry.possiblyStored()) {
					// the kept ones only, as for a live request: those not kept are not stored twice
					this.stats.recordPossiblyDuplicated(entry.itemCount() - notKept);
				}
				return null;
			}
			case REJECTED -> {
				if (outcome.isAuthRejected()) {
					if (this.judgesKeys && this.stats.recordAuthRejected(outcome.status(), outcome.message())) {
						// the once-per-status warning that says how to fix the keys
						this.log.warn(ServerMessages.authRejected(outcome.status(), outcome.message(),
								"What an earlier run kept stays in " + this.spool.directory()));
					}
					return outcome.message();
				}
				// sending it again cannot help
				this.spool.delete(entry);
				this.stats.recordDropped(DropReason.REJECTED, entry.itemCount());
				this.log.warn("Langfuse rejected " + entry.itemCount() + " " + this.itemNoun
						+ "(s) an earlier run kept, dropping them: " + outcome.message());
				return null;
			}
			default -> {
				return outcome.message();
			}
		}
	}

}
