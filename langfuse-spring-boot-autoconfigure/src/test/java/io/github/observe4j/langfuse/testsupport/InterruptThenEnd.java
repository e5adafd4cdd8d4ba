package io.github.observe4j.langfuse.testsupport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts a thread while it waits, then ends what it waits for: one task, so that the two
 * steps never swap places on a loaded machine.
 */
public final class InterruptThenEnd {

	private InterruptThenEnd() {
	}

	/**
	 * Interrupt a thread 100 ms from now and, 200 ms after that, run {@code end}.
	 * @param thread the thread to interrupt
	 * @param end what ends the thread's wait
	 */
	public static void schedule(Thread thread, Runnable end) {
		CompletableFuture.runAsync(() -> {
			try {
				TimeUnit.MILLISECONDS.sleep(100);
				thread.interrupt();
				TimeUnit.MILLISECONDS.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				end.run();
			}
		}, CompletableFuture.delayedExecutor(0, TimeUnit.MILLISECONDS));
	}

}
