package io.github.observe4j.langfuse.prompt;

/**
 * Thrown by {@link LangfusePrompts} when Langfuse has no prompt with the name, version or label
 * asked for (it answered 404), no fallback was given and there is no earlier copy to serve.
 *
 * @since 0.1.0
 */
public class PromptNotFoundException extends PromptUnavailableException {

	/**
	 * Create an exception.
	 * @param key the prompt asked for
	 * @param message what Langfuse said
	 */
	public PromptNotFoundException(PromptKey key, String message) {
		super(key, message);
	}

}
