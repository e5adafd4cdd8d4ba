package io.github.observe4j.langfuse.autoconfigure;

import java.util.function.Supplier;

import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.springai.ChatClientMapping;
import io.github.observe4j.langfuse.internal.springai.ChatModelMapping;
import io.github.observe4j.langfuse.internal.springai.EmbeddingModelMapping;
import io.github.observe4j.langfuse.internal.springai.SpringAiObservationHandler;
import io.github.observe4j.langfuse.internal.springai.ToolCallingMapping;
import io.github.observe4j.langfuse.internal.springai.VectorStoreMapping;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration for Spring AI: Micrometer observation handlers that record every chat
 * model call as a generation, every tool call as a tool, every embedding call as an embedding
 * and, with {@code spring-ai-client-chat}, every {@code ChatClient} call as a chain, in the
 * current trace. Spring Boot registers the handlers on the application's
 * {@code ObservationRegistry}, which Spring AI's models report to.
 * <p>
 * The handlers reach the Langfuse tracer lazily: they are created while the observation registry
 * is configured, and the exporter's own beans may depend on that registry.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LangfuseAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.ai.chat.observation.ChatModelObservationContext",
		"io.micrometer.observation.ObservationHandler" })
@ConditionalOnBooleanProperty(name = "langfuse.integrations.spring-ai.enabled", matchIfMissing = true)
@ConditionalOnBean(LlmCalls.class)
public final class LangfuseSpringAiAutoConfiguration {

	@Bean
	ObservationHandler<Observation.Context> langfuseSpringAiChatModelHandler(ObjectProvider<LlmCalls> calls) {
		return new SpringAiObservationHandler<>(new ChatModelMapping(), lazy(calls));
	}

	@Bean
	ObservationHandler<Observation.Context> langfuseSpringAiToolCallingHandler(ObjectProvider<LlmCalls> calls) {
		return new SpringAiObservationHandler<>(new ToolCallingMapping(), lazy(calls));
	}

	@Bean
	ObservationHandler<Observation.Context> langfuseSpringAiEmbeddingModelHandler(ObjectProvider<LlmCalls> calls) {
		return new SpringAiObservationHandler<>(new EmbeddingModelMapping(), lazy(calls));
	}

	private static Supplier<@Nullable LlmCalls> lazy(ObjectProvider<LlmCalls> calls) {
		// looked up on first use, then kept: a bean lookup on every model call costs for nothing
		return SingletonSupplier.ofNullable(calls::getIfAvailable);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.ai.vectorstore.observation.VectorStoreObservationContext")
	static class VectorStoreConfiguration {

		@Bean
		ObservationHandler<Observation.Context> langfuseSpringAiVectorStoreHandler(ObjectProvider<LlmCalls> calls) {
			return new SpringAiObservationHandler<>(new VectorStoreMapping(), lazy(calls));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.ai.chat.client.observation.ChatClientObservationContext")
	static class ChatClientConfiguration {

		@Bean
		ObservationHandler<Observation.Context> langfuseSpringAiChatClientHandler(ObjectProvider<LlmCalls> calls) {
			return new SpringAiObservationHandler<>(new ChatClientMapping(), lazy(calls));
		}

	}

}
