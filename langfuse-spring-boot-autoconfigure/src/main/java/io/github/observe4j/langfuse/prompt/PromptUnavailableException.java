package io.github.observe4j.langfuse.prompt;

/**
 * Thrown by {@link LangfusePrompts} when a prompt was asked for without a fallback and there is
 * no copy to serve: Langfuse could not be reached in time, answered with an error, holds a
 * prompt of the other type, or no keys are configured. A cached copy is served instead whenever
 * there is one; pass a fallback to never get this exception.
 *
 * @since 0.1.0
 * @see PromptNotFoundException
 */
public class PromptUnavailableException extends RuntimeException {

	private final PromptKey key;

	/**
	 * Create an exception.
	 * @param key the prompt asked for
	 * @param message why it is unavailable
	 */
	public PromptUnavailableException(PromptKey key, String message) {
		super(message);
		this.key = key;
	}

	/**
	 * Return the prompt that was asked for.
	 * @return the key
	 */
	public PromptKey key() {
		return this.key;
	}

}
