package io.github.observe4j.langfuse.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.observe4j.langfuse.internal.core.AsyncEndStrategy;
import io.github.observe4j.langfuse.internal.core.CompletionStageEndStrategy;
import io.github.observe4j.langfuse.internal.reactor.ReactorEndStrategy;

import org.springframework.util.ClassUtils;

/**
 * The asynchronous result types the starter follows: {@code CompletionStage} always, Reactor's
 * {@code Mono}, {@code Flux} and {@code Publisher} when Reactor is on the class path.
 */
final class LangfuseAsyncEndStrategies {

	private static final String REACTOR_MONO = "reactor.core.publisher.Mono";

	private LangfuseAsyncEndStrategies() {
	}

	static List<AsyncEndStrategy> available(ClassLoader classLoader) {
		List<AsyncEndStrategy> strategies = new ArrayList<>();
		strategies.add(new CompletionStageEndStrategy());
		if (ClassUtils.isPresent(REACTOR_MONO, classLoader)) {
			strategies.add(new ReactorEndStrategy());
		}
		return List.copyOf(strategies);
	}

}
