package io.github.observe4j.langfuse.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.observe4j.langfuse.testsupport.FakeOpenAiServer.Reply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link FakeOpenAiServer} answers in OpenAI's shapes.
 */
class FakeOpenAiServerTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void answersACompletionAndThenStreamsOne() throws Exception {
		try (FakeOpenAiServer openAi = FakeOpenAiServer.start()) {
			openAi.enqueue(Reply.text("Hi there", 3, 2));
			String completion = post(openAi, "{\"model\":\"m\",\"messages\":[]}");
			assertThat(completion).contains("\"content\":\"Hi there\"").contains("\"total_tokens\":5");
			String stream = post(openAi, "{\"model\":\"m\",\"stream\":true,\"messages\":[]}");
			assertThat(stream).contains("\"content\":\"Hello \"").contains("\"content\":\"world\"")
				.contains("\"prompt_tokens\":11").endsWith("data: [DONE]\n\n");
			assertThat(openAi.requests()).hasSize(2);
			assertThat(openAi.requests().get(1).path("stream").asBoolean()).isTrue();
		}
	}

	@Test
	void answersAToolCallAndAnError() throws Exception {
		try (FakeOpenAiServer openAi = FakeOpenAiServer.start()) {
			openAi.enqueue(Reply.toolCall("call_1", "weather", "{\"city\":\"Paris\"}"));
			openAi.enqueue(Reply.error(429, "Rate limit reached"));
			assertThat(post(openAi, "{\"messages\":[]}")).contains("\"finish_reason\":\"tool_calls\"")
				.contains("\"name\":\"weather\"");
			assertThat(post(openAi, "{\"messages\":[]}")).contains("Rate limit reached");
		}
	}

	private String post(FakeOpenAiServer openAi, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(openAi.baseUrl() + "/v1/chat/completions"))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

}
