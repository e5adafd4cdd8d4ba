package io.github.observe4j.langfuse.autoconfigure;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import io.github.observe4j.langfuse.internal.context.GlobalRegistry;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.openai.OpenAiClients;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LangfuseOpenAiAutoConfiguration}: one per condition.
 */
class LangfuseOpenAiAutoConfigurationTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(LangfuseAutoConfiguration.class, LangfuseOpenAiAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.shutdown-timeout=5s")
		.withUserConfiguration(OpenAiClientConfiguration.class);

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void clientBeansAreWrappedAndRecordThroughTheContextsCalls() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LangfuseOpenAiClientPostProcessor.class);
			assertThat(OpenAiClients.isWrapped(context.getBean(OpenAIClient.class))).isTrue();
			assertThat(OpenAiClients.isWrapped(context.getBean(OpenAIClientAsync.class))).isTrue();
			// what clients wrapped by hand record through
			assertThat(GlobalRegistry.of(LlmCalls.class).current()).isSameAs(context.getBean(LlmCalls.class));
		});
		assertThat(GlobalRegistry.of(LlmCalls.class).current()).isNull();
	}

	@Test
	void switchedOffTheClientsAreLeftAlone() {
		this.contextRunner.withPropertyValues("langfuse.integrations.openai.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(LangfuseOpenAiClientPostProcessor.class);
			assertThat(context).hasSingleBean(LlmCalls.class);
			assertThat(OpenAiClients.isWrapped(context.getBean(OpenAIClient.class))).isFalse();
			assertThat(GlobalRegistry.of(LlmCalls.class).current()).isNull();
		});
	}

	@Test
	void withTracingOffTheClientsAreLeftAlone() {
		this.contextRunner.withPropertyValues("langfuse.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(LlmCalls.class);
			assertThat(context).doesNotHaveBean(LangfuseOpenAiClientPostProcessor.class);
			assertThat(OpenAiClients.isWrapped(context.getBean(OpenAIClient.class))).isFalse();
		});
	}

	@Test
	void withoutTheSdkNothingIsDefined() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(LangfuseAutoConfiguration.class, LangfuseOpenAiAutoConfiguration.class))
			.withPropertyValues("langfuse.host=" + this.server.url(),
					"langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
					"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY)
			.withClassLoader(new FilteredClassLoader("com.openai"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(LlmCalls.class);
				assertThat(context).doesNotHaveBean(LangfuseOpenAiClientPostProcessor.class);
				assertThat(context).doesNotHaveBean(LangfuseLlmCallsRegistration.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OpenAiClientConfiguration {

		@Bean
		OpenAIClient openAiClient() {
			return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:9/v1").apiKey("test").build();
		}

		@Bean
		OpenAIClientAsync openAiClientAsync() {
			return OpenAIOkHttpClientAsync.builder().baseUrl("http://127.0.0.1:9/v1").apiKey("test").build();
		}

	}

}
