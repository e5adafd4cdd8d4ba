package io.github.observe4j.langfuse.sample.llm;

/**
 * A chat-completion model.
 */
public interface LlmClient {

	/**
	 * Complete a prompt.
	 * @param request the prompt and the sampling parameters
	 * @return the completion with its token usage
	 * @throws LlmException if the model cannot answer
	 */
	LlmResponse complete(LlmRequest request);

}
