package io.github.observe4j.langfuse.internal.export;

import java.util.Arrays;
import java.util.Objects;

import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import org.jspecify.annotations.Nullable;

/**
 * What became of the items of one batch: how many were delivered and how many were dropped for
 * which reason. The {@link BatchProcessor} records it in {@link ExporterStats}.
 *
 * @since 0.1.0
 */
public final class ExportResult {

	private static final DropReason[] REASONS = DropReason.values();

	private final int exported;

	private final int spooled;

	private final int[] dropped;

	private final @Nullable String failureMessage;

	private ExportResult(int exported, int spooled, int[] dropped, @Nullable String failureMessage) {
		this.exported = exported;
		this.spooled = spooled;
		this.dropped = dropped;
		this.failureMessage = failureMessage;
	}

	/**
	 * Return a result for items that were all delivered.
	 * @param count the number of items
	 * @return the result
	 */
	public static ExportResult success(int count) {
		return new ExportResult(count, 0, new int[REASONS.length], null);
	}

	/**
	 * Return a result for items that were all dropped.
	 * @param reason why they were dropped
	 * @param count the number of items
	 * @param message a description of the failure, without credentials
	 * @return the result
	 */
	public static ExportResult dropped(DropReason reason, int count, String message) {
		Objects.requireNonNull(reason, "reason must not be null");
		int[] dropped = new int[REASONS.length];
		dropped[reason.ordinal()] = count;
		return new ExportResult(0, 0, dropped, message);
	}

	/**
	 * Return a result for items that shutdown could not deliver and that were kept in the
	 * {@link RequestSpool} for the next start.
	 * @param count the number of items
	 * @param message why they were not delivered
	 * @return the result
	 */
	public static ExportResult spooled(int count, String message) {
		return new ExportResult(0, count, new int[REASONS.length], message);
	}

	/**
	 * Combine this result with the result of other items of the same batch.
	 * @param other the other result
	 * @return the combined result, keeping the latest failure message
	 */
	public ExportResult plus(ExportResult other) {
		int[] dropped = new int[REASONS.length];
		for (int i = 0; i < dropped.length; i++) {
			dropped[i] = this.dropped[i] + other.dropped[i];
		}
		String message = (other.failureMessage != null) ? other.failureMessage : this.failureMessage;
		return new ExportResult(this.exported + other.exported, this.spooled + other.spooled, dropped, message);
	}

	/**
	 * Return the number of items delivered.
	 * @return the exported count
	 */
	public int exportedCount() {
		return this.exported;
	}

	/**
	 * Return the number of items kept in the spool for the next start.
	 * @return the spooled count
	 */
	public int spooledCount() {
		return this.spooled;
	}

	/**
	 * Return the number of items dropped for the given reason.
	 * @param reason the reason
	 * @return the dropped count
	 */
	public int droppedCount(DropReason reason) {
		return this.dropped[reason.ordinal()];
	}

	/**
	 * Return the number of items dropped for any reason.
	 * @return the dropped count
	 */
	public int droppedCount() {
		return Arrays.stream(this.dropped).sum();
	}

	/**
	 * Return whether no item was dropped.
	 * @return whether the export succeeded
	 */
	public boolean isSuccess() {
		return droppedCount() == 0;
	}

	/**
	 * Return a description of the last failure.
	 * @return the message, or {@code null} if nothing failed
	 */
	public @Nullable String failureMessage() {
		return this.failureMessage;
	}

	@Override
	public String toString() {
		StringBuilder result = new StringBuilder("ExportResult[exported=").append(this.exported);
		if (this.spooled > 0) {
			result.append(", spooled=").append(this.spooled);
		}
		for (DropReason reason : REASONS) {
			if (this.dropped[reason.ordinal()] > 0) {
				result.append(", ").append(reason).append('=').append(this.dropped[reason.ordinal()]);
			}
		}
		return result.append(']').toString();
	}

}
