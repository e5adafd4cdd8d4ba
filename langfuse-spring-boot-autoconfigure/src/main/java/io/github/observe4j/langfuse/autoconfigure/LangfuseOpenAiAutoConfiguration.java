package io.github.observe4j.langfuse.autoconfigure;

import io.github.observe4j.langfuse.internal.core.LlmCalls;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the OpenAI Java SDK: {@code OpenAIClient} and
 * {@code OpenAIClientAsync} beans are wrapped so that their chat completions become
 * generations, and clients wrapped by hand with {@code LangfuseOpenAi.wrap} record through
 * this application. Off with {@code langfuse.integrations.openai.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LangfuseAutoConfiguration.class)
@ConditionalOnClass(name = LangfuseOpenAiAutoConfiguration.OPENAI_CLIENT)
@ConditionalOnBooleanProperty(name = "langfuse.integrations.openai.enabled", matchIfMissing = true)
@ConditionalOnBean(LlmCalls.class)
public final class LangfuseOpenAiAutoConfiguration {

	static final String OPENAI_CLIENT = "com.openai.client.OpenAIClient";

	@Bean
	static LangfuseOpenAiClientPostProcessor langfuseOpenAiClientPostProcessor(ObjectProvider<LlmCalls> calls) {
		return new LangfuseOpenAiClientPostProcessor(calls);
	}

	@Bean
	static LangfuseLlmCallsRegistration langfuseLlmCallsRegistration(ObjectProvider<LlmCalls> calls) {
		return new LangfuseLlmCallsRegistration(calls);
	}

}
