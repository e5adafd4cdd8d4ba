package io.github.observe4j.langfuse.internal.export;

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

	private final RequestSpool spool;

	private final String kind;

	private final String itemNoun;

	private final ExporterStats stats;

	private final Log log;

	SpoolReplay(RequestSpool spool, String kind, String itemNoun, ExporterStats stats, Log log) {
		this.spool = spool;
		this.kind = kind;
		this.itemNoun = itemNoun;
		this.stats = stats;
		this.log = log;
	}

	/**
	 * Send the kept requests.
	 * @param sender sends one body, with retries, and reports the outcome
	 */
	void run(Function<byte[], SendOutcome> sender) {
		int delivered = 0;
		for (RequestSpool.Entry entry : this.spool.entries(this.kind)) {
			if (Thread.currentThread().isInterrupted()) {
				break;
			}
			byte[] body = this.spool.read(entry);
			if (body == null) {
				continue;
			}
			SendOutcome outcome = sender.apply(body);
			@Nullable String stop = handle(entry, outcome);
			if (outcome.kind() == SendOutcome.Kind.SUCCESS) {
				delivered += entry.itemCount();
			}
			if (stop != null) {
				this.log.warn("Could not send the " + this.itemNoun + "s an earlier run kept in " + this.spool.directory()
						+ " (" + stop + "); they stay there for the next start");
				break;
			}
		}
		if (delivered > 0) {
			this.log.info("Sent " + delivered + " " + this.itemNoun + "(s) that an earlier run kept in "
					+ this.spool.directory());
		}
	}

	/** Return why to stop, or {@code null} to go on with the next file. */
	private @Nullable String handle(RequestSpool.Entry entry, SendOutcome outcome) {
		switch (outcome.kind()) {
			case SUCCESS -> {
				this.spool.delete(entry);
				this.stats.recordAuthAccepted();
				this.stats.recordReplayed(entry.itemCount());
				if (outcome.possiblyDuplicated()) {
					this.stats.recordPossiblyDuplicated(entry.itemCount());
				}
				return null;
			}
			case REJECTED -> {
				if (outcome.isAuthRejected()) {
					this.stats.recordAuthRejected(outcome.status(), outcome.message());
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
