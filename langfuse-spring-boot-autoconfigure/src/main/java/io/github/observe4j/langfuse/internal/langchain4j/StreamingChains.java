package io.github.observe4j.langfuse.internal.langchain4j;

import io.github.observe4j.langfuse.internal.core.LangfuseSpan;
import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import org.jspecify.annotations.Nullable;

/**
 * Carries the parent of a streamed chat across the round-trips of a tool loop. A streamed
 * answer arrives on the HTTP client's thread, where nothing is current, and an AI Service runs
 * the requested tools and sends the next request synchronously on that same thread, inside the
 * handler the listener cannot wrap. So when a streamed answer asks for tools, its parent is made
 * current on that thread: the tools nest under it, and the next request takes it as its parent
 * and puts back what was current before. A chain that does not go on leaves it behind only until
 * the next chat callback on that thread, which puts it back first.
 */
final class StreamingChains {

	private static final ThreadLocal<@Nullable HandedOn> HANDED_ON = new ThreadLocal<>();

	private StreamingChains() {
	}

	/**
	 * Make the parent current on this thread for the next round-trip of a chain.
	 * @param parent the parent of the call that asked for tools
	 */
	static void handOn(ObservationContext parent) {
		release();
		ObservationContext previous = ObservationContextHolder.install(parent);
		HANDED_ON.set(new HandedOn(parent, ObservationContextHolder.current(), previous));
	}

	/**
	 * Return the parent handed on to this thread, putting back what was current before; or
	 * {@code null} when no chain goes on here: nothing was handed on, or the thread's context has
	 * changed since (a task the answer arrived in has ended and put back its own), so that what
	 * was current then is not put back now.
	 * @return the parent, or {@code null}
	 */
	static @Nullable ObservationContext take() {
		HandedOn handedOn = HANDED_ON.get();
		if (handedOn == null) {
			return null;
		}
		HANDED_ON.remove();
		// resolved alike on both sides: a handle handed on that has ended since is still the same
		if (ObservationContextHolder.current() != LangfuseSpan.live(handedOn.installed())) {
			return null;
		}
		ObservationContextHolder.swap(handedOn.previous());
		return handedOn.parent();
	}

	/**
	 * Put back what was current before a parent was handed on to this thread, if one was.
	 */
	static void release() {
		take();
	}

	private record HandedOn(ObservationContext parent, @Nullable ObservationContext installed,
			@Nullable ObservationContext previous) {
	}

}
