package io.github.observe4j.langfuse.internal.core;

import java.time.Duration;
import java.util.Optional;

/**
 * What the client needs from the export side: flushing, the auth check and the project id.
 *
 * @since 0.1.0
 */
public interface ExportControl {

	/**
	 * Wait until everything queued has been sent or given up on.
	 * @param timeout the longest time to wait
	 * @return whether everything was handled in time
	 */
	boolean flush(Duration timeout);

	/**
	 * Check the keys against Langfuse, blocking for a bounded time.
	 * @return whether the keys were accepted
	 */
	boolean authCheck();

	/**
	 * Return the project id if already known; never blocks.
	 * @return the project id
	 */
	Optional<String> projectId();

	/**
	 * Return whether observations are sent to Langfuse at all.
	 * @return whether exporting
	 */
	boolean isExporting();

	/**
	 * Return an export control for when nothing is exported.
	 * @return a control that has nothing to flush and no project
	 */
	static ExportControl none() {
		return new ExportControl() {

			@Override
			public boolean flush(Duration timeout) {
				return true;
			}

			@Override
			public boolean authCheck() {
				return false;
			}

			@Override
			public Optional<String> projectId() {
				return Optional.empty();
			}

			@Override
			public boolean isExporting() {
				return false;
			}

		};
	}

}
