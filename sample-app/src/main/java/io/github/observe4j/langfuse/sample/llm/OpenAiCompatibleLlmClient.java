package io.github.observe4j.langfuse.sample.llm;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * A {@link LlmClient} for any endpoint that speaks the OpenAI chat-completions API (OpenAI,
 * Azure OpenAI, Ollama, vLLM, LiteLLM...).
 */
public final class OpenAiCompatibleLlmClient implements LlmClient {

	private final RestClient restClient;

	/**
	 * Create a client.
	 * @param restClient a client whose base URL and {@code Authorization} header point at the
	 * endpoint, for example {@code https://api.openai.com/v1}
	 */
	public OpenAiCompatibleLlmClient(RestClient restClient) {
		this.restClient = restClient;
	}

	@Override
	public LlmResponse complete(LlmRequest request) {
		ChatCompletionRequest body = new ChatCompletionRequest(request.model(),
				List.of(new Message("user", request.prompt())), request.temperature(), request.maxTokens());
		ChatCompletionResponse response;
		try {
			response = this.restClient.post()
				.uri("/chat/completions")
				.contentType(MediaType.APPLICATION_JSON)
				.body(body)
				.retrieve()
				.body(ChatCompletionResponse.class);
		}
		catch (RestClientException ex) {
			throw new LlmException("The model endpoint failed: " + ex.getMessage(), ex);
		}
		if (response == null || response.choices() == null || response.choices().isEmpty()) {
			throw new LlmException("The model endpoint returned no choices");
		}
		Usage usage = (response.usage() != null) ? response.usage() : new Usage(0, 0);
		String model = (response.model() != null) ? response.model() : request.model();
		// The chat-completions API does not report cost: Langfuse infers it from model and usage.
		return new LlmResponse(response.choices().get(0).message().content(), model, usage.promptTokens(),
				usage.completionTokens(), Map.of());
	}

	record ChatCompletionRequest(String model, List<Message> messages, double temperature,
			@JsonProperty("max_tokens") int maxTokens) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Message(String role, String content) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record ChatCompletionResponse(@Nullable String model, @Nullable List<Choice> choices, @Nullable Usage usage) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Choice(Message message) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Usage(@JsonProperty("prompt_tokens") long promptTokens,
			@JsonProperty("completion_tokens") long completionTokens) {

	}

}
