package io.github.observe4j.langfuse.internal.openai;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs the recording steps around an SDK call so that none of them can reach the caller: a
 * failure costs that step only, and is logged at most once a minute per step.
 */
final class HookGuard {

	private static final Log logger = LogFactory.getLog(HookGuard.class);

	private static final ThrottledLog throttledLog = new ThrottledLog(logger, Duration.ofMinutes(1));

	private HookGuard() {
	}

	/**
	 * Run a step.
	 * @param step what the step records, for the log
	 * @param action the step
	 */
	static void run(String step, Runnable action) {
		try {
			action.run();
		}
		catch (Throwable ex) {
			failed(step, ex);
		}
	}

	/**
	 * Run a step that returns something.
	 * @param <T> what it returns
	 * @param step what the step records, for the log
	 * @param action the step
	 * @return what it returned, or {@code null} if it failed
	 */
	static <T> @Nullable T get(String step, Supplier<@Nullable T> action) {
		try {
			return action.get();
		}
		catch (Throwable ex) {
			failed(step, ex);
			return null;
		}
	}

	private static void failed(String step, Throwable failure) {
		Failures.rethrowIfFatal(failure);
		throttledLog.warn(step, () -> "Langfuse could not record the OpenAI call's " + step, failure);
	}

}
