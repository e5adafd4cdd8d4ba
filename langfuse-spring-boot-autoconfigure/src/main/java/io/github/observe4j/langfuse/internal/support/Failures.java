package io.github.observe4j.langfuse.internal.support;

import java.util.function.Predicate;

import org.apache.commons.logging.Log;

/**
 * How the starter treats a failure of its own: whether to let it through, how to describe it
 * on one line, and how to log it so that a failure repeating on every call cannot fill the
 * application's log with stack traces.
 */
public final class Failures {

	private static final int MAX_DESCRIPTION_LENGTH = 300;

	/** Guards against a cause chain that loops back on itself. */
	private static final int MAX_CAUSE_DEPTH = 32;

	private Failures() {
	}

	/**
	 * Rethrow a failure that no code should swallow: a {@link VirtualMachineError} such as
	 * {@link OutOfMemoryError}. A {@link StackOverflowError} is not rethrown: deep user values
	 * can cause one while they are captured, and it leaves the thread usable once unwound.
	 * @param failure a caught failure
	 */
	public static void rethrowIfFatal(Throwable failure) {
		if (failure instanceof VirtualMachineError error && !(failure instanceof StackOverflowError)) {
			throw error;
		}
	}

	/**
	 * Describe a failure on one line: its type and message, then its cause's when the message
	 * does not already say it, abbreviated to {@value #MAX_DESCRIPTION_LENGTH} characters.
	 * @param failure the failure
	 * @return the description
	 */
	public static String describe(Throwable failure) {
		String text = typeAndMessage(failure);
		Throwable cause = failure.getCause();
		String message = failure.getMessage();
		if (cause != null && cause != failure && cause.getMessage() != null
				&& (message == null || !message.contains(cause.getMessage()))) {
			text = text + " (" + typeAndMessage(cause) + ")";
		}
		return abbreviate(text);
	}

	/**
	 * Log {@code "<message>: <description of the failure>"} at WARN, and the message with the
	 * failure's stack trace at DEBUG.
	 * @param logger the logger
	 * @param message what could not be done
	 * @param failure why
	 */
	public static void warn(Log logger, String message, Throwable failure) {
		logger.warn(message + ": " + describe(failure));
		if (logger.isDebugEnabled()) {
			logger.debug(message, failure);
		}
	}

	/**
	 * Return whether the failure or any of its causes matches.
	 * @param failure the failure
	 * @param test what to look for
	 * @return whether one matches
	 */
	public static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
		Throwable cause = failure;
		for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++) {
			if (test.test(cause)) {
				return true;
			}
			cause = (cause.getCause() != cause) ? cause.getCause() : null;
		}
		return false;
	}

	/**
	 * Return the last failure of the cause chain.
	 * @param failure the failure
	 * @return its root cause, or the failure itself
	 */
	public static Throwable rootCause(Throwable failure) {
		Throwable root = failure;
		for (int depth = 0; depth < MAX_CAUSE_DEPTH && root.getCause() != null && root.getCause() != root; depth++) {
			root = root.getCause();
		}
		return root;
	}

	/**
	 * Cut a message to {@value #MAX_DESCRIPTION_LENGTH} characters.
	 * @param message the message
	 * @return the message, or its beginning followed by {@code ...}
	 */
	public static String abbreviate(String message) {
		return (message.length() <= MAX_DESCRIPTION_LENGTH) ? message
				: message.substring(0, MAX_DESCRIPTION_LENGTH) + "...";
	}

	private static String typeAndMessage(Throwable failure) {
		String message = failure.getMessage();
		return failure.getClass().getSimpleName()
				+ ((message != null) ? ": " + message.replaceAll("\\s+", " ").strip() : "");
	}

}
