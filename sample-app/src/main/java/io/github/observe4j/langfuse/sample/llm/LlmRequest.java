package io.github.observe4j.langfuse.sample.llm;

/**
 * A prompt for a {@link LlmClient}.
 *
 * @param model name of the model to ask
 * @param prompt the user prompt
 * @param temperature sampling temperature
 * @param maxTokens the most tokens the completion may have
 */
public record LlmRequest(String model, String prompt, double temperature, int maxTokens) {

}
