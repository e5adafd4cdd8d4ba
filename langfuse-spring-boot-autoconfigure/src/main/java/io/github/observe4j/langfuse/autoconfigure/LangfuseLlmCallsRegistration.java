package io.github.observe4j.langfuse.autoconfigure;

import io.github.observe4j.langfuse.internal.context.GlobalRegistry;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Makes the context's {@link LlmCalls} the one behind clients wrapped by hand
 * ({@code LangfuseOpenAi.wrap}) once all singletons exist, and takes it back when the context
 * closes.
 */
final class LangfuseLlmCallsRegistration implements SmartInitializingSingleton, DisposableBean {

	private final ObjectProvider<LlmCalls> calls;

	private @Nullable LlmCalls registered;

	LangfuseLlmCallsRegistration(ObjectProvider<LlmCalls> calls) {
		this.calls = calls;
	}

	@Override
	public void afterSingletonsInstantiated() {
		LlmCalls calls = this.calls.getIfUnique();
		if (calls != null) {
			GlobalRegistry.of(LlmCalls.class).register(calls);
			this.registered = calls;
		}
	}

	@Override
	public void destroy() {
		if (this.registered != null) {
			GlobalRegistry.of(LlmCalls.class).unregister(this.registered);
		}
	}

}
