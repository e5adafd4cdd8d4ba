package io.github.observe4j.langfuse.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.langchain4j.LangChain4jToolAdvisor;
import io.github.observe4j.langfuse.internal.langchain4j.LangfuseChatModelListener;
import io.github.observe4j.langfuse.internal.langchain4j.LangfuseEmbeddingModelListener;
import io.github.observe4j.langfuse.internal.langchain4j.StreamingChatModelDecorator;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LangfuseLangChain4jAutoConfiguration}: one test per condition branch.
 */
class LangfuseLangChain4jAutoConfigurationTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class,
				LangfuseLangChain4jAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(),
				"langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void listenersDecoratorAndShutdownAreDefinedByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LangfuseChatModelListener.class);
			assertThat(context).hasSingleBean(LangfuseEmbeddingModelListener.class);
			assertThat(context).doesNotHaveBean(LangChain4jToolAdvisor.class);
			assertThat(context).hasSingleBean(StreamingChatModelDecorator.class);
			assertThat(context).hasSingleBean(LangfuseLangChain4jShutdown.class);
			assertThat(context.getBean(LangfuseLangChain4jShutdown.class).getPhase())
				.isGreaterThan(LangfuseExportLifecycle.PHASE);
		});
	}

	@Test
	void nothingIsDefinedWhenSwitchedOff() {
		this.contextRunner
			.withPropertyValues("langfuse.integrations.langchain4j.enabled=false",
					"langfuse.integrations.langchain4j.tool-observations=true")
			.run((context) -> assertThat(context).doesNotHaveBean(LangfuseChatModelListener.class)
				.doesNotHaveBean(LangfuseEmbeddingModelListener.class)
				.doesNotHaveBean(StreamingChatModelDecorator.class)
				.doesNotHaveBean(LangfuseLangChain4jShutdown.class));
	}

	@Test
	void nothingIsDefinedWithoutLangChain4j() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ChatModelListener.class))
			.run((context) -> assertThat(context).hasSingleBean(LlmCalls.class)
				.doesNotHaveBean(LangfuseChatModelListener.class)
				.doesNotHaveBean(LangChain4jToolAdvisor.class));
	}

	@Test
	void nothingIsDefinedWhenTracingIsOff() {
		this.contextRunner.withPropertyValues("langfuse.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LlmCalls.class)
				.doesNotHaveBean(LangfuseChatModelListener.class)
				.doesNotHaveBean(LangChain4jToolAdvisor.class));
	}

	@Test
	void listenerOfTheApplicationIsKept() {
		this.contextRunner.withUserConfiguration(OwnListenerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(LangfuseChatModelListener.class);
			assertThat(context.getBean(LangfuseChatModelListener.class))
				.isSameAs(context.getBean(OwnListenerConfiguration.class).listener);
		});
	}

	@Test
	void noEmbeddingListenerBeforeLangChain4jHasTheSpi() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(EmbeddingModelListener.class))
			.run((context) -> assertThat(context).hasSingleBean(LangfuseChatModelListener.class)
				.doesNotHaveBean(LangfuseEmbeddingModelListener.class));
	}

	@Test
	void toolAdvisorWhenAskedFor() {
		this.contextRunner.withPropertyValues("langfuse.integrations.langchain4j.tool-observations=true")
			.run((context) -> assertThat(context).hasSingleBean(LangChain4jToolAdvisor.class));
	}

	@Test
	void noToolAdvisorNorDecoratorWithoutSpringAop() {
		this.contextRunner.withPropertyValues("langfuse.integrations.langchain4j.tool-observations=true")
			.withClassLoader(new FilteredClassLoader(MethodInterceptor.class))
			.run((context) -> assertThat(context).hasSingleBean(LangfuseChatModelListener.class)
				.doesNotHaveBean(LangChain4jToolAdvisor.class)
				.doesNotHaveBean(StreamingChatModelDecorator.class));
	}

	@Test
	void modelsBuiltAsTheStartersDoGetTheListener() {
		this.contextRunner.withUserConfiguration(StarterLikeConfiguration.class)
			.run((context) -> {
				LangfuseChatModelListener listener = context.getBean(LangfuseChatModelListener.class);
				assertThat(context.getBean(OpenAiChatModel.class).listeners()).containsExactly(listener);
				// streaming models are decorated as subclasses: still injectable by their class
				OpenAiStreamingChatModel streaming = context.getBean(OpenAiStreamingChatModel.class);
				assertThat(AopUtils.isCglibProxy(streaming)).isTrue();
				assertThat(streaming.listeners()).containsExactly(listener);
				assertThat(AopUtils.isAopProxy(context.getBean(OpenAiChatModel.class))).isFalse();
			});
	}

	@Test
	void toolBeansAreLeftAloneByDefault() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withUserConfiguration(ToolConfiguration.class)
			.run((context) -> assertThat(AopUtils.isAopProxy(context.getBean(Calculator.class))).isFalse());
	}

	@Test
	void toolMethodsOfBeansAreProxiedAndRecordedWhenAskedFor() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withPropertyValues("langfuse.integrations.langchain4j.tool-observations=true")
			.withUserConfiguration(ToolConfiguration.class)
			.run((context) -> {
				Calculator calculator = context.getBean(Calculator.class);
				assertThat(AopUtils.isAopProxy(calculator)).isTrue();
				assertThat(calculator.add(2, 3)).isEqualTo(5);
				assertThat(calculator.notATool()).isEqualTo("plain");
				assertThat(LangfuseContext.flush(Duration.ofSeconds(5))).isTrue();
				assertThat(this.server.receivedSpans()).singleElement().satisfies((span) -> {
					assertThat(span.getName()).isEqualTo("add_numbers");
					assertThat(OtlpRequests.string(span, "langfuse.observation.type")).isEqualTo("tool");
					assertThat(OtlpRequests.string(span, "langfuse.observation.input")).contains("\"a\":2");
					assertThat(OtlpRequests.string(span, "langfuse.observation.output")).isEqualTo("5");
				});
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnListenerConfiguration {

		final LangfuseChatModelListener listener = new LangfuseChatModelListener(() -> null);

		@Bean
		LangfuseChatModelListener ownListener() {
			return this.listener;
		}

	}

	/** Builds a model the way every LangChain4j Spring Boot starter does. */
	@Configuration(proxyBeanMethods = false)
	static class StarterLikeConfiguration {

		@Bean
		OpenAiChatModel openAiChatModel(ObjectProvider<ChatModelListener> listeners) {
			return OpenAiChatModel.builder()
				.baseUrl("http://127.0.0.1:1/v1")
				.apiKey("test-key")
				.modelName("gpt-4o-mini")
				.listeners(listeners.orderedStream().toList())
				.build();
		}

		@Bean
		OpenAiStreamingChatModel openAiStreamingChatModel(ObjectProvider<ChatModelListener> listeners) {
			return OpenAiStreamingChatModel.builder()
				.baseUrl("http://127.0.0.1:1/v1")
				.apiKey("test-key")
				.modelName("gpt-4o-mini")
				.listeners(listeners.orderedStream().toList())
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ToolConfiguration {

		@Bean
		Calculator calculator() {
			return new Calculator();
		}

	}

	static class Calculator {

		@Tool(name = "add_numbers", value = "Adds two numbers")
		public int add(int a, int b) {
			return a + b;
		}

		public String notATool() {
			return "plain";
		}

	}

}
