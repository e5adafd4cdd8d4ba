package io.github.observe4j.langfuse.internal.export;

import org.jspecify.annotations.Nullable;

/**
 * One exporter's way into the {@link RequestSpool}: keeps its kind of request bodies, counts
 * those of the batch being exported, and closes for good when shutdown stops waiting for that
 * export, so that no item is both spooled and counted as dropped.
 */
final class SpoolGate {

	private final @Nullable RequestSpool spool;

	private final String kind;

	private boolean stopped;

	private int spooledInExport;

	SpoolGate(@Nullable RequestSpool spool, String kind) {
		this.spool = spool;
		this.kind = kind;
	}

	boolean isOpen() {
		return this.spool != null;
	}

	/** Called when an export starts: count its spooled items from zero. */
	synchronized void exportStarted() {
		this.spooledInExport = 0;
	}

	/**
	 * Keep a body unless the gate was stopped.
	 * @param inExport whether the body belongs to the batch being exported, rather than to
	 * leftovers the processor hands over
	 * @return whether it was kept
	 */
	synchronized boolean save(byte[] body, int count, boolean possiblyStored, boolean inExport) {
		if (this.spool == null || this.stopped || !this.spool.save(this.kind, count, body, possiblyStored)) {
			return false;
		}
		if (inExport) {
			this.spooledInExport += count;
		}
		return true;
	}

	/**
	 * Keep nothing more.
	 * @return how many items of the current export were kept
	 */
	synchronized int stop() {
		this.stopped = true;
		return this.spooledInExport;
	}

}
