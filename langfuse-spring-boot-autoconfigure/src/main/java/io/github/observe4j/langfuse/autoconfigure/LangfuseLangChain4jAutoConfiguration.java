package io.github.observe4j.langfuse.autoconfigure;

import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.langchain4j.LangChain4jToolAdvisor;
import io.github.observe4j.langfuse.internal.langchain4j.LangfuseChatModelListener;
import io.github.observe4j.langfuse.internal.langchain4j.LangfuseEmbeddingModelListener;
import io.github.observe4j.langfuse.internal.langchain4j.StreamingChatModelDecorator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for LangChain4j: a {@code ChatModelListener} bean that records every chat
 * call as a Langfuse generation in the current trace, an {@code EmbeddingModelListener} bean for
 * embedding models (added by the application), and, with
 * {@code langfuse.integrations.langchain4j.tool-observations=true}, an advisor that records the
 * {@code @Tool} methods of Spring beans as tool observations; {@code StreamingChatModel} beans are
 * proxied to see the first token and cancelled streams. LangChain4j's Spring Boot starters
 * hand every {@code ChatModelListener} bean to the chat models they create; a model built by
 * hand needs {@code .listeners(List.of(langfuseChatModelListener))}. Off with
 * {@code langfuse.integrations.langchain4j.enabled=false}, and when tracing is off.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LangfuseAutoConfiguration.class)
@ConditionalOnClass(name = "dev.langchain4j.model.chat.listener.ChatModelListener")
@ConditionalOnBooleanProperty(name = "langfuse.integrations.langchain4j.enabled", matchIfMissing = true)
@ConditionalOnBean(LlmCalls.class)
public final class LangfuseLangChain4jAutoConfiguration {

	// the factory is reached lazily: starters create chat models, and so this listener, early
	@Bean
	@ConditionalOnMissingBean
	LangfuseChatModelListener langfuseChatModelListener(ObjectProvider<LlmCalls> calls) {
		return new LangfuseChatModelListener(calls::getIfAvailable);
	}

	@Bean
	LangfuseLangChain4jShutdown langfuseLangChain4jShutdown(LangfuseChatModelListener listener) {
		return new LangfuseLangChain4jShutdown(listener);
	}

	/**
	 * Embedding observations (LangChain4j 1.11 and later). The starters do not hand embedding
	 * listeners to their models: the application adds this one with
	 * {@code model.addListener(...)} or a provider builder's {@code .listeners(...)}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "dev.langchain4j.model.embedding.listener.EmbeddingModelListener")
	static class LangChain4jEmbeddingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LangfuseEmbeddingModelListener langfuseEmbeddingModelListener(ObjectProvider<LlmCalls> calls) {
			return new LangfuseEmbeddingModelListener(calls::getIfAvailable);
		}

	}

	/**
	 * Tool observations for {@code @Tool} methods of Spring beans (opt-in), applied by the same
	 * auto-proxy creator as {@code @Observe}, and the decoration of {@code StreamingChatModel}
	 * beans for time to first token and cancelled streams.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.aopalliance.intercept.MethodInterceptor")
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static class LangChain4jAopConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean
		static StreamingChatModelDecorator langfuseStreamingChatModelDecorator() {
			return new StreamingChatModelDecorator();
		}

		// advisors are created by the auto-proxy creator before most beans: static and lazy;
		// opt-in, as proxying a tool bean hides its @Tool methods from AiServices.tools(bean)
		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "langfuse.integrations.langchain4j.tool-observations")
		static LangChain4jToolAdvisor langfuseLangChain4jToolAdvisor(ObjectProvider<LlmCalls> calls,
				Environment environment) {
			int order = environment.getProperty("langfuse.observe.order", Integer.class, Ordered.LOWEST_PRECEDENCE);
			return new LangChain4jToolAdvisor(calls::getIfAvailable, order);
		}

	}

}
