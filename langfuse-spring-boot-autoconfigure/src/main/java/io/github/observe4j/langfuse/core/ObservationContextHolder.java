package io.github.observe4j.langfuse.core;

import org.jspecify.annotations.Nullable;

/**
 * The one {@link ThreadLocal} that knows the current observation of a thread. Public as an
 * integration SPI for context propagation (Reactor, executors); applications use
 * {@code LangfuseContext}.
 *
 * @since 0.1.0
 */
public final class ObservationContextHolder {

	private static final ThreadLocal<@Nullable Object> CURRENT = new ThreadLocal<>();

	private ObservationContextHolder() {
	}

	/**
	 * Return the opaque context value of this thread, to be handed to another thread.
	 * @return the value, or {@code null} when nothing is current
	 */
	public static @Nullable Object get() {
		return CURRENT.get();
	}

	/**
	 * Install a value obtained from {@link #get()}, returning the previous one.
	 * @param value the value, or {@code null} to clear
	 * @return the previous value
	 */
	public static @Nullable Object swap(@Nullable Object value) {
		Object previous = CURRENT.get();
		// set(null) rather than remove(): remove() clears a weak reference through a native call
		// and the next set() allocates a new entry, on every call; a null value keeps nothing
		// reachable, so the entry left behind costs a thread no more than one slot.
		CURRENT.set(value);
		return previous;
	}

	static @Nullable LangfuseSpan currentSpan() {
		return (CURRENT.get() instanceof LangfuseSpan span) ? span : null;
	}

}
