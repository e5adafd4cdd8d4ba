package io.github.observe4j.langfuse.autoconfigure;

import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;

import org.springframework.core.task.TaskDecorator;

/**
 * Runs each task with the Langfuse observation that was current when it was submitted, and
 * nothing of it afterwards. Spring Boot applies every {@link TaskDecorator} bean to the
 * executors it auto-configures (the {@code applicationTaskExecutor} behind {@code @Async},
 * virtual threads included), combined with any of the application's own.
 */
final class LangfuseTaskDecorator implements TaskDecorator {

	@Override
	public Runnable decorate(Runnable runnable) {
		return ObservationContextHolder.wrap(runnable);
	}

}
