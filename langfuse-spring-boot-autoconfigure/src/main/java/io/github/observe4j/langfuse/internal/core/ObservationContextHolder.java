package io.github.observe4j.langfuse.internal.core;

import java.util.concurrent.Callable;

import io.github.observe4j.langfuse.internal.support.Failures;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one {@link ThreadLocal} that knows the current observation of a thread. Public as an
 * integration SPI for context propagation (Reactor, executors); applications use
 * {@code LangfuseContext}.
 *
 * @since 0.1.0
 */
public final class ObservationContextHolder {

	/**
	 * Key under which the context travels in other context maps: the Reactor {@code Context}
	 * and Micrometer's context-propagation registry.
	 */
	public static final String KEY = "langfuse.observation";

	private static final Log logger = LogFactory.getLog(ObservationContextHolder.class);

	// A one-element slot per thread, written in place: a swap costs one ThreadLocal lookup instead
	// of a lookup and a ThreadLocal.set, twice per observed call. An Object[] rather than a class of
	// the starter's: a container's pool threads outlive an undeployed application, and a slot of
	// its own class would keep its class loader; an Object[] holding null keeps nothing reachable.
	private static final ThreadLocal<@Nullable Object[]> CURRENT = ThreadLocal.withInitial(() -> new Object[1]);

	/** Told of every change of the current context, such as log correlation; usually none. */
	private static volatile @Nullable ContextListener listener;

	private ObservationContextHolder() {
	}

	/**
	 * Return the context of this thread, to be handed to another thread. An observation handle
	 * that was closed out of order or on another thread is skipped here, once for every reader.
	 * @return the context, or {@code null} when nothing is current
	 */
	public static @Nullable ObservationContext get() {
		return LangfuseSpan.handedOut(LangfuseSpan.live((ObservationContext) CURRENT.get()[0]));
	}

	/**
	 * Return this thread's context as it is, to be put back with {@link #swap} later (what a
	 * context snapshot saves before it installs another): a joined trace as the join itself,
	 * which its scope closes, rather than the copy {@link #get()} hands out.
	 * @return the context, or {@code null} when nothing is current
	 */
	public static @Nullable ObservationContext current() {
		return LangfuseSpan.live((ObservationContext) CURRENT.get()[0]);
	}

	/**
	 * Install a context that was handed off earlier (from {@link #get()} or {@link #current()}),
	 * where the work it was handed to runs, returning the previous one, to be put back with
	 * {@link #swap}: a joined trace whose scope has closed meanwhile is still the work's trace.
	 * @param value the context, or {@code null} to clear
	 * @return the previous context
	 */
	public static @Nullable ObservationContext install(@Nullable ObservationContext value) {
		return swap(LangfuseSpan.handedOff(value));
	}

	/**
	 * Install a context, returning the previous one: to put back what an earlier swap returned,
	 * or to make an observation of this thread's own current. Work handed off from elsewhere is
	 * installed with {@link #install}.
	 * @param value the context, or {@code null} to clear
	 * @return the previous context
	 */
	public static @Nullable ObservationContext swap(@Nullable ObservationContext value) {
		@Nullable Object[] slot = CURRENT.get();
		ObservationContext previous = (ObservationContext) slot[0];
		// as it is now: a handle closed on another thread meanwhile is not put back, so that this
		// thread does not keep its trace (and the classes behind it) reachable
		ObservationContext live = LangfuseSpan.live(value);
		slot[0] = live;
		ContextListener current = listener;
		if (current != null && previous != live) {
			notify(current, live);
		}
		return previous;
	}

	/**
	 * Put back what a context was installed over, if that context is still this thread's
	 * current one; otherwise (closed out of order, or on another thread) leave the thread's
	 * context alone, for {@link #get()} to skip the closed one.
	 * @param installed the context installed earlier
	 * @param previous what it was installed over
	 */
	static void restoreIfCurrent(ObservationContext installed, @Nullable ObservationContext previous) {
		if (CURRENT.get()[0] == installed) {
			swap(previous);
		}
	}

	private static void notify(ContextListener current, @Nullable ObservationContext value) {
		try {
			current.contextChanged(value);
		}
		catch (RuntimeException | LinkageError ex) {
			// a broken logging setup must not break the user's call, nor be retried on every call
			listener = null;
			Failures.warn(logger, "Langfuse log correlation failed and is switched off", ex);
		}
	}

	/**
	 * Set the listener told of every change of the current context on any thread, or remove it.
	 * @param contextListener the listener, or {@code null}
	 */
	public static synchronized void setListener(@Nullable ContextListener contextListener) {
		listener = contextListener;
	}

	/**
	 * Remove the listener if it is the given one, leaving one set since by another context.
	 * @param contextListener the listener to remove
	 */
	public static synchronized void removeListener(ContextListener contextListener) {
		if (listener == contextListener) {
			listener = null;
		}
	}

	/**
	 * Told, on the thread concerned, whenever the current context changes: an observed call
	 * starts or ends, a task runs with a captured context, a trace is joined.
	 */
	@FunctionalInterface
	public interface ContextListener {

		/**
		 * The current context of this thread changed.
		 * @param current the context now current, or {@code null} for none; it may be an
		 * observation that has ended, whose ids are still valid
		 */
		void contextChanged(@Nullable ObservationContext current);

	}

	/**
	 * Return a task that runs with this thread's current context and restores the pool thread's
	 * own afterwards, or the task itself when nothing is current.
	 * @param task the task
	 * @return the task carrying the context
	 */
	public static Runnable wrap(Runnable task) {
		ObservationContext captured = get();
		if (captured == null || task instanceof ContextRunnable) {
			return task;
		}
		return new ContextRunnable(captured, task);
	}

	/**
	 * Like {@link #wrap(Runnable)}, for a task with a result.
	 * @param <T> the result type
	 * @param task the task
	 * @return the task carrying the context
	 */
	public static <T> Callable<T> wrap(Callable<T> task) {
		ObservationContext captured = get();
		if (captured == null) {
			return task;
		}
		return () -> {
			ObservationContext previous = install(captured);
			try {
				return task.call();
			}
			finally {
				swap(previous);
			}
		};
	}

	static @Nullable LangfuseSpan currentSpan() {
		return (get() instanceof LangfuseSpan span) ? span : null;
	}

	/** A task that carries a context; never wrapped twice. */
	private record ContextRunnable(ObservationContext captured, Runnable task) implements Runnable {

		@Override
		public void run() {
			ObservationContext previous = install(this.captured);
			try {
				this.task.run();
			}
			finally {
				swap(previous);
			}
		}

	}

}
