package io.github.observe4j.langfuse.autoconfigure;

import io.github.observe4j.langfuse.internal.support.Failures;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the export worker when the context starts and, on shutdown, sends what is queued within
 * the shutdown timeout. Runs in {@link #PHASE}, so it stops after the web server has drained its
 * requests (stopped at {@code DEFAULT_PHASE - 2048}) and before Reactor Netty's shared resources
 * are disposed (phase 0): observations of in-flight requests are still recorded and the HTTP
 * client still works while they are sent.
 * <p>
 * Nothing that goes wrong here stops the application from starting or stopping: a failure,
 * a missing class included, is logged once and export is switched off.
 */
final class LangfuseExportLifecycle implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(LangfuseExportLifecycle.class);

	/** Lower than the web server's stop phase and higher than Reactor Netty's. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final LangfuseExportPipeline pipeline;

	private volatile boolean running;

	LangfuseExportLifecycle(LangfuseExportPipeline pipeline) {
		this.pipeline = pipeline;
	}

	@Override
	public void start() {
		this.running = true;
		if (this.pipeline.isShutdown()) {
			// a context stopped and started again (context.stop()/start(), checkpoint and restore)
			logger.warn("Langfuse export was stopped and does not start again in the same application context;"
					+ " observations are not sent until the application restarts");
			return;
		}
		try {
			this.pipeline.start();
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			logger.warn("Langfuse export could not start (" + ex + "); the application runs, but traces and"
					+ " scores are not sent. A missing class usually means mismatched versions of spring-webflux"
					+ " or reactor-core: check 'mvn dependency:tree'.");
			logger.debug("Langfuse export start failure", ex);
			stopQuietly();
		}
	}

	@Override
	public void stop() {
		this.running = false;
		stopQuietly();
	}

	private void stopQuietly() {
		try {
			this.pipeline.shutdown();
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			logger.warn("Langfuse export did not shut down cleanly (" + ex + "); what was still queued may be lost");
			logger.debug("Langfuse export shutdown failure", ex);
		}
	}

	// Out of memory or a broken JVM is not ours to hide; a deep stack in a dependency is

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
