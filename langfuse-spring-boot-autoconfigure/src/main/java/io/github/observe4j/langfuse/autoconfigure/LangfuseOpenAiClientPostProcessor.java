package io.github.observe4j.langfuse.autoconfigure;

import java.util.function.Supplier;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.openai.OpenAiClients;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps each {@code OpenAIClient} and {@code OpenAIClientAsync} bean so that its chat
 * completions are recorded. The calls factory is looked up on the first call, not here, so that
 * the tracer is not created while beans are still being post-processed.
 */
final class LangfuseOpenAiClientPostProcessor implements BeanPostProcessor {

	private final Supplier<@Nullable LlmCalls> calls;

	LangfuseOpenAiClientPostProcessor(ObjectProvider<LlmCalls> calls) {
		this.calls = new FirstAvailable(calls);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof OpenAIClient client) {
			return OpenAiClients.wrap(client, this.calls);
		}
		if (bean instanceof OpenAIClientAsync client) {
			return OpenAiClients.wrap(client, this.calls);
		}
		return bean;
	}

	/** The calls factory, asked of the context until it has one. */
	private static final class FirstAvailable implements Supplier<@Nullable LlmCalls> {

		private final ObjectProvider<LlmCalls> provider;

		private volatile @Nullable LlmCalls calls;

		FirstAvailable(ObjectProvider<LlmCalls> provider) {
			this.provider = provider;
		}

		@Override
		public @Nullable LlmCalls get() {
			LlmCalls calls = this.calls;
			if (calls == null) {
				calls = this.provider.getIfUnique();
				this.calls = calls;
			}
			return calls;
		}

	}

}
