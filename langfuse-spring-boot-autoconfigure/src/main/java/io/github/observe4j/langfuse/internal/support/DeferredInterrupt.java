package io.github.observe4j.langfuse.internal.support;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A thread's interrupt, held back while a shutdown waits and set again when it is over. A
 * shutdown on an interrupted thread (a bean stopped before it that was interrupted, a task
 * cancelled with {@code shutdownNow}, a test's timeout) would otherwise give up every wait at
 * once: the export worker abandoned, the score thread not waited for while the transport and
 * the spool are closed under it, and what the timeout would have delivered dropped or spooled.
 * Confined to the thread that created it.
 *
 * @since 0.1.0
 */
public final class DeferredInterrupt {

	private boolean interrupted;

	private DeferredInterrupt(boolean interrupted) {
		this.interrupted = interrupted;
	}

	/**
	 * Clear this thread's interrupt, remembering it.
	 * @return the deferred interrupt, to {@link #restore} when the shutdown is over
	 */
	public static DeferredInterrupt clear() {
		return new DeferredInterrupt(Thread.interrupted());
	}

	/**
	 * Clear an interrupt that arrived meanwhile, remembering it: after a step that restores the
	 * interrupt it saw, so that the next step runs uninterrupted.
	 */
	public void absorb() {
		this.interrupted |= Thread.interrupted();
	}

	/**
	 * Wait for a future until the timeout, through interrupts.
	 * @param future what to wait for
	 * @param timeout the longest wait
	 * @return {@code true} if the future completed in time (normally or not)
	 */
	public boolean await(CompletableFuture<?> future, Duration timeout) {
		long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
		while (true) {
			long left = deadline - System.nanoTime();
			try {
				future.get(Math.max(0, left), TimeUnit.NANOSECONDS);
				return true;
			}
			catch (InterruptedException ex) {
				this.interrupted = true;
				if (left <= 0) {
					// interrupted again and again: the deadline still ends the wait
					return future.isDone();
				}
			}
			catch (ExecutionException ex) {
				return true;
			}
			catch (TimeoutException ex) {
				return false;
			}
		}
	}

	/**
	 * Wait for a thread to end until a deadline, through interrupts.
	 * @param thread the thread
	 * @param deadlineNanos the {@link System#nanoTime()} to wait until
	 */
	public void join(Thread thread, long deadlineNanos) {
		while (true) {
			long left = deadlineNanos - System.nanoTime();
			if (left <= 0) {
				return;
			}
			try {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
				if (!thread.isAlive()) {
					return;
				}
			}
			catch (InterruptedException ex) {
				this.interrupted = true;
			}
		}
	}

	/**
	 * Set this thread's interrupt again if it was set before {@link #clear} or arrived since.
	 */
	public void restore() {
		if (this.interrupted || Thread.interrupted()) {
			Thread.currentThread().interrupt();
		}
	}

}
