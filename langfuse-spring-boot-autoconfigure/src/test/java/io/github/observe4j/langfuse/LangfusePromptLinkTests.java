package io.github.observe4j.langfuse;

import java.time.Duration;
import java.util.Map;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.prompt.LangfusePrompts;
import io.github.observe4j.langfuse.prompt.PromptKey;
import io.github.observe4j.langfuse.prompt.TextPrompt;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests: a generation that uses a prompt from {@link LangfusePrompts} arrives in
 * Langfuse linked to that prompt's name and version; one that used a fallback does not.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfusePromptLinkTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private ConfigurableApplicationContext context;

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		this.server.close();
	}

	private Greeter start() {
		this.context = new SpringApplicationBuilder(GreeterApplication.class).web(WebApplicationType.NONE)
			.properties("langfuse.host=" + this.server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
					"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms")
			.run();
		return this.context.getBean(Greeter.class);
	}

	private Span flushedGeneration() {
		assertThat(this.context.getBean(LangfuseClient.class).flush(Duration.ofSeconds(10))).isTrue();
		return this.server.receivedSpans().stream().filter((span) -> span.getName().equals("greet")).findFirst()
			.orElseThrow();
	}

	@Test
	void aGenerationIsLinkedToThePromptItUsed() {
		this.server.enqueue("/api/public/v2/prompts/greeting", FakeResponse.ok("{\"type\":\"text\",\"name\":"
				+ "\"greeting\",\"version\":4,\"prompt\":\"Hello {{name}}\",\"labels\":[\"production\"],"
				+ "\"tags\":[],\"config\":{}}"));
		assertThat(start().greet("Ada")).isEqualTo("Hello Ada");
		Map<String, AnyValue> attributes = OtlpRequests.attributes(flushedGeneration());
		assertThat(attributes.get("langfuse.observation.prompt.name").getStringValue()).isEqualTo("greeting");
		assertThat(attributes.get("langfuse.observation.prompt.version").getIntValue()).isEqualTo(4);
	}

	@Test
	void aGenerationThatUsedAFallbackIsNotLinked(CapturedOutput output) {
		// no prompt scripted: the stand-in answers 404
		assertThat(start().greet("Ada")).isEqualTo("Hi Ada");
		Map<String, AnyValue> attributes = OtlpRequests.attributes(flushedGeneration());
		assertThat(attributes).doesNotContainKeys("langfuse.observation.prompt.name",
				"langfuse.observation.prompt.version");
		assertThat(output).contains("Langfuse has no prompt 'greeting' label production; serving the fallback");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class GreeterApplication {

		@Bean
		Greeter greeter(LangfusePrompts prompts) {
			return new Greeter(prompts);
		}

	}

	public static class Greeter {

		private final LangfusePrompts prompts;

		public Greeter(LangfusePrompts prompts) {
			this.prompts = prompts;
		}

		@Observe(type = ObservationType.GENERATION)
		public String greet(String name) {
			TextPrompt prompt = this.prompts.getTextPrompt(PromptKey.of("greeting"), "Hi {{name}}");
			prompt.linkToCurrentObservation().model("fake-gpt");
			return prompt.compile(Map.of("name", name));
		}

	}

}
