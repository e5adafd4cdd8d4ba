package io.github.observe4j.langfuse.sample.llm;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OpenAiCompatibleLlmClient}, against a local HTTP server.
 */
class OpenAiCompatibleLlmClientTests {

	private static final String COMPLETION = """
			{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini-2024-07-18",
			 "choices":[{"index":0,"message":{"role":"assistant","content":"A fox sailed home."},"finish_reason":"stop"}],
			 "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""";

	private final AtomicReference<String> requestBody = new AtomicReference<>();

	private final AtomicReference<String> authorization = new AtomicReference<>();

	private HttpServer server;

	private int status = 200;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/v1/chat/completions", (exchange) -> {
			this.requestBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			this.authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
			byte[] body = ((this.status == 200) ? COMPLETION : "{\"error\":{\"message\":\"no such model\"}}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(this.status, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
	}

	@Test
	void sendsChatCompletionRequest() {
		client().complete(new LlmRequest("gpt-4o-mini", "Tell a story", 0.2, 50));
		assertThat(this.authorization.get()).isEqualTo("Bearer test-key");
		assertThat(this.requestBody.get()).contains("\"model\":\"gpt-4o-mini\"")
			.contains("\"messages\":[{\"role\":\"user\",\"content\":\"Tell a story\"}]")
			.contains("\"temperature\":0.2")
			.contains("\"max_tokens\":50");
	}

	@Test
	void readsCompletionAndUsage() {
		LlmResponse response = client().complete(new LlmRequest("gpt-4o-mini", "Tell a story", 0.2, 50));
		assertThat(response.text()).isEqualTo("A fox sailed home.");
		assertThat(response.model()).isEqualTo("gpt-4o-mini-2024-07-18");
		assertThat(response.inputTokens()).isEqualTo(12);
		assertThat(response.outputTokens()).isEqualTo(5);
		assertThat(response.costDetails()).isEmpty();
	}

	@Test
	void errorResponseBecomesLlmException() {
		this.status = 404;
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> client().complete(new LlmRequest("gpt-unknown", "Tell a story", 0.2, 50)))
			.withMessageContaining("404");
	}

	private OpenAiCompatibleLlmClient client() {
		return new OpenAiCompatibleLlmClient(RestClient.builder()
			.baseUrl("http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1")
			.defaultHeader("Authorization", "Bearer test-key")
			.build());
	}

}
