package io.github.observe4j.langfuse.sample.llm;

/**
 * Thrown when the model cannot answer: unknown model, provider outage, timeout.
 */
public class LlmException extends RuntimeException {

	/**
	 * Create a new exception.
	 * @param message what went wrong
	 */
	public LlmException(String message) {
		super(message);
	}

	/**
	 * Create a new exception.
	 * @param message what went wrong
	 * @param cause the underlying failure
	 */
	public LlmException(String message, Throwable cause) {
		super(message, cause);
	}

}
