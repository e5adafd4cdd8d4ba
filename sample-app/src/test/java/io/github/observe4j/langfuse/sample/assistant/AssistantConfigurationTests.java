package io.github.observe4j.langfuse.sample.assistant;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.observe4j.langfuse.sample.assistant.AssistantConfiguration.ModelEndpoint;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Where the assistant's chat model points: the loopback stub, alive only as long as the
 * application, unless a real endpoint is configured.
 */
@ExtendWith(OutputCaptureExtension.class)
class AssistantConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withBean(ObservationRegistry.class, ObservationRegistry::create)
		.withUserConfiguration(AssistantConfiguration.class);

	@Test
	void withoutAnEndpointTheModelTalksToAStubThatStopsWithTheApplication() {
		String[] baseUrl = new String[1];
		this.runner.run((context) -> {
			ModelEndpoint endpoint = context.getBean(ModelEndpoint.class);
			assertThat(endpoint.stub()).isNotNull();
			assertThat(endpoint.baseUrl()).startsWith("http://127.0.0.1:");
			assertThat(context.getBean(ChatClient.class).prompt("owls").call().content())
				.startsWith("For owls the fable to read is");
			baseUrl[0] = endpoint.baseUrl();
		});
		assertThatIOException().isThrownBy(() -> HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(baseUrl[0] + "/v1/chat/completions"))
				.POST(HttpRequest.BodyPublishers.ofString("{}"))
				.build(), HttpResponse.BodyHandlers.ofString()));
	}

	@Test
	void withAnEndpointAndAKeyTheModelTalksToItAndNoStubStarts(CapturedOutput output) {
		this.runner.withPropertyValues("sample.ai.base-url=http://127.0.0.1:9", "sample.ai.api-key=sk-real-secret")
			.run((context) -> {
				ModelEndpoint endpoint = context.getBean(ModelEndpoint.class);
				assertThat(endpoint.stub()).isNull();
				assertThat(endpoint.baseUrl()).isEqualTo("http://127.0.0.1:9");
				assertThat(endpoint.apiKey()).isEqualTo("sk-real-secret");
				assertThat(endpoint).hasToString("ModelEndpoint[baseUrl=http://127.0.0.1:9, apiKey=******]");
				assertThat(context.getBean(AssistantProperties.class).toString()).doesNotContain("sk-real-secret");
			});
		assertThat(output).contains("The assistant uses model 'gpt-4o-mini' at http://127.0.0.1:9")
			.doesNotContain("sk-real-secret")
			.doesNotContain("OpenAI stub");
	}

}
