package io.github.observe4j.langfuse.autoconfigure;

import java.util.List;

import io.github.observe4j.langfuse.internal.metrics.LangfusePromptMetrics;
import io.github.observe4j.langfuse.internal.prompt.CachingLangfusePrompts;
import io.github.observe4j.langfuse.internal.prompt.FallbackLangfusePrompts;
import io.github.observe4j.langfuse.internal.prompt.PromptStats;
import io.github.observe4j.langfuse.prompt.ChatMessage;
import io.github.observe4j.langfuse.prompt.ChatPrompt;
import io.github.observe4j.langfuse.prompt.LangfusePrompts;
import io.github.observe4j.langfuse.prompt.PromptKey;
import io.github.observe4j.langfuse.prompt.PromptUnavailableException;
import io.github.observe4j.langfuse.prompt.TextPrompt;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LangfusePromptsAutoConfiguration}: one test per branch.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfusePromptsAutoConfigurationTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class,
				LangfusePromptsAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url());

	private final ApplicationContextRunner withKeys = this.contextRunner.withPropertyValues(
			"langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
			"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY);

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void withKeysPromptsAreFetchedOverTheExportTransport() {
		this.server.enqueue("/api/public/v2/prompts/greeting", FakeResponse.ok("{\"type\":\"text\",\"name\":"
				+ "\"greeting\",\"version\":1,\"prompt\":\"Hi\",\"labels\":[],\"tags\":[],\"config\":{}}"));
		this.withKeys.run((context) -> {
			assertThat(context).getBean(LangfusePrompts.class).isInstanceOf(CachingLangfusePrompts.class);
			assertThat(context.getBean(LangfusePrompts.class).getTextPrompt("greeting").prompt()).isEqualTo("Hi");
			assertThat(this.server.requests("/api/public/v2/prompts/greeting").get(0).header("x-langfuse-sdk-name"))
				.isNotBlank();
		});
	}

	@Test
	void theCacheTtlIsBound() {
		this.server.respondWith("/api/public/v2/prompts/greeting", (request) -> FakeResponse.ok("{\"type\":"
				+ "\"text\",\"name\":\"greeting\",\"version\":1,\"prompt\":\"Hi\",\"labels\":[],\"tags\":[],\"config\":{}}"));
		this.withKeys.withPropertyValues("langfuse.prompts.cache-ttl=0").run((context) -> {
			LangfusePrompts prompts = context.getBean(LangfusePrompts.class);
			prompts.getTextPrompt("greeting");
			prompts.getTextPrompt("greeting");
			assertThat(this.server.requests("/api/public/v2/prompts/greeting")).hasSize(2);
		});
	}

	@Test
	void withoutKeysFallbacksAreServedAndWhyIsSaidOnce(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			LangfusePrompts prompts = context.getBean(LangfusePrompts.class);
			assertThat(prompts).isInstanceOf(FallbackLangfusePrompts.class);
			TextPrompt text = prompts.getTextPrompt(PromptKey.of("greeting"), "Hi");
			assertThat(text.isFallback()).isTrue();
			ChatPrompt chat = prompts.getChatPrompt(PromptKey.of("chat"), List.of(new ChatMessage("user", "Hi")));
			assertThat(chat.isFallback()).isTrue();
			assertThatExceptionOfType(PromptUnavailableException.class)
				.isThrownBy(() -> prompts.getTextPrompt("greeting"))
				.withMessageContaining("Langfuse keys are not configured");
			// the exception counts as a fallback request too
			assertThat(context.getBean(PromptStats.class).fallbacks()).isEqualTo(3);
		});
		assertThat(output).containsOnlyOnce("Langfuse prompts are not fetched: Langfuse keys are not configured");
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	void whenDisabledFallbacksAreServed(CapturedOutput output) {
		this.withKeys.withPropertyValues("langfuse.enabled=false").run((context) -> {
			assertThat(context.getBean(LangfusePrompts.class).getTextPrompt(PromptKey.of("greeting"), "Hi").prompt())
				.isEqualTo("Hi");
		});
		assertThat(output).containsOnlyOnce("Langfuse prompts are not fetched: langfuse.enabled is false");
	}

	@Test
	void withoutTheHttpLibraryFallbacksAreServed(CapturedOutput output) {
		this.withKeys.withClassLoader(new FilteredClassLoader(WebClient.class))
			.run((context) -> assertThat(
					context.getBean(LangfusePrompts.class).getTextPrompt(PromptKey.of("greeting"), "Hi").isFallback())
				.isTrue());
		assertThat(output).contains("Langfuse prompts are not fetched: Langfuse tracing is off as spring-webflux"
				+ " or jackson-databind is missing");
	}

	@Test
	void anApplicationsOwnPromptsWin() {
		LangfusePrompts own = new FallbackLangfusePrompts("own", new PromptStats());
		this.withKeys.withBean(LangfusePrompts.class, () -> own)
			.run((context) -> assertThat(context).getBean(LangfusePrompts.class).isSameAs(own));
	}

	@Test
	void metricsAreBoundWithMicrometer() {
		this.withKeys.run((context) -> assertThat(context).hasSingleBean(LangfusePromptMetrics.class));
	}

	@Test
	void noMetricsWithoutMicrometer() {
		this.withKeys.withClassLoader(new FilteredClassLoader("io.micrometer.core.instrument.binder"))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(LangfusePromptMetrics.class);
				assertThat(context).hasSingleBean(LangfusePrompts.class);
			});
	}

}
