package io.github.observe4j.langfuse.sample.llm;

import java.util.Map;

/**
 * A completion returned by a {@link LlmClient}.
 *
 * @param text the completion text
 * @param model name of the model that answered
 * @param inputTokens tokens in the prompt
 * @param outputTokens tokens in the completion
 * @param costDetails cost in USD keyed {@code input}, {@code output} and {@code total}; empty
 * when the provider does not say, in which case Langfuse infers it from the model and the usage
 */
public record LlmResponse(String text, String model, long inputTokens, long outputTokens,
		Map<String, Double> costDetails) {

	public LlmResponse {
		costDetails = Map.copyOf(costDetails);
	}

}
