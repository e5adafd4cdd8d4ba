package io.github.observe4j.langfuse.internal.core;

import org.apache.commons.logging.Log;

/**
 * Logs a failure of tracing itself as one WARN line that names it, with its stack trace at
 * DEBUG, so that a failure repeating on every call cannot fill the application's log with
 * stack traces.
 */
final class FailureLog {

	private static final int MAX_DESCRIPTION_LENGTH = 200;

	private FailureLog() {
	}

	/**
	 * Log {@code "<message>: <failure type>: <failure message>"} at WARN, and the message with
	 * the failure's stack trace at DEBUG.
	 * @param logger the logger
	 * @param message what could not be done
	 * @param failure why
	 */
	static void warn(Log logger, String message, Throwable failure) {
		logger.warn(message + ": " + describe(failure));
		if (logger.isDebugEnabled()) {
			logger.debug(message, failure);
		}
	}

	/**
	 * Describe a failure on one line: its type and message, abbreviated to about 200
	 * characters.
	 * @param failure the failure
	 * @return the description
	 */
	static String describe(Throwable failure) {
		String message = failure.getMessage();
		String text = failure.getClass().getSimpleName()
				+ ((message != null) ? ": " + message.replaceAll("\\s+", " ").strip() : "");
		return (text.length() <= MAX_DESCRIPTION_LENGTH) ? text : text.substring(0, MAX_DESCRIPTION_LENGTH) + "...";
	}

}
