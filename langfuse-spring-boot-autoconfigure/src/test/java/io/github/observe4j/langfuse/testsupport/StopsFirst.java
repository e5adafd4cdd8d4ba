package io.github.observe4j.langfuse.testsupport;

import org.springframework.context.SmartLifecycle;

/**
 * A bean that stops before every other lifecycle bean of its context, running an action on the
 * stopping thread, such as interrupting it.
 */
public final class StopsFirst implements SmartLifecycle {

	private final Runnable onStop;

	private volatile boolean running;

	/**
	 * Create the bean.
	 * @param onStop what to run on the thread that stops the context
	 */
	public StopsFirst(Runnable onStop) {
		this.onStop = onStop;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.onStop.run();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}
