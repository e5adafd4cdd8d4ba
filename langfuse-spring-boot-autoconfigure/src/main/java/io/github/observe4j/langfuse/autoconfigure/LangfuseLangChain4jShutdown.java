package io.github.observe4j.langfuse.autoconfigure;

import io.github.observe4j.langfuse.internal.langchain4j.LangfuseChatModelListener;

import org.springframework.context.SmartLifecycle;

/**
 * Ends the LangChain4j chat calls still open at shutdown, such as streams cancelled before
 * their answer (LangChain4j tells no listener of a cancel), as incomplete: they are exported
 * with a WARNING instead of lost. Stops just before the export does its last send.
 */
final class LangfuseLangChain4jShutdown implements SmartLifecycle {

	private final LangfuseChatModelListener listener;

	private volatile boolean running;

	LangfuseLangChain4jShutdown(LangfuseChatModelListener listener) {
		this.listener = listener;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.listener.endOpenCalls("no answer before shutdown, such as a cancelled stream");
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return LangfuseExportLifecycle.PHASE + 1;
	}

}
