package io.github.observe4j.langfuse.autoconfigure;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the export worker when the context starts and, on shutdown, sends what is queued within
 * the shutdown timeout. Runs in {@link #PHASE}, so it stops after the web server has drained its
 * requests (stopped at {@code DEFAULT_PHASE - 2048}) and before Reactor Netty's shared resources
 * are disposed (phase 0): observations of in-flight requests are still recorded and the HTTP
 * client still works while they are sent.
 */
final class LangfuseExportLifecycle implements SmartLifecycle {

	/** Lower than the web server's stop phase and higher than Reactor Netty's. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final LangfuseExportPipeline pipeline;

	private volatile boolean running;

	LangfuseExportLifecycle(LangfuseExportPipeline pipeline) {
		this.pipeline = pipeline;
	}

	@Override
	public void start() {
		this.pipeline.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.pipeline.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public boolean isPauseable() {
		// the worker is shut down on stop, not paused
		return false;
	}

}
