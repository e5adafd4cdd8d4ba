package io.github.observe4j.langfuse.internal.model;

/**
 * Accepts finished items for export without blocking the caller.
 *
 * @param <T> the item type
 * @since 0.1.0
 */
@FunctionalInterface
public interface RecordSink<T> {

	/**
	 * Accept an item. Never blocks and never throws.
	 * @param item the item
	 * @return {@code false} if the item was dropped (and counted)
	 */
	boolean offer(T item);

	/**
	 * Return a sink that discards everything, used when no keys are configured.
	 * @param <T> the item type
	 * @return a discarding sink
	 */
	static <T> RecordSink<T> discarding() {
		return (item) -> false;
	}

}
