package io.github.observe4j.langfuse.internal.prompt;

import java.util.function.Supplier;

import io.github.observe4j.langfuse.internal.prompt.PromptFetchException.Kind;
import io.github.observe4j.langfuse.prompt.PromptKey;
import io.github.observe4j.langfuse.prompt.PromptNotFoundException;
import io.github.observe4j.langfuse.prompt.PromptUnavailableException;
import org.jspecify.annotations.Nullable;

/**
 * The answer when there is no copy of a prompt: the caller's fallback, else the documented
 * exception; both count as a {@code fallback} request.
 */
final class PromptFallbacks {

	private PromptFallbacks() {
	}

	static <P> P orThrow(PromptKey key, @Nullable Supplier<P> fallback, PromptFetchException failure,
			PromptStats stats) {
		// counted as a fallback either way, so that every request is counted once
		stats.recordFallback();
		if (fallback != null) {
			return fallback.get();
		}
		String message = "Prompt " + key + " is unavailable and no fallback was given: " + failure.getMessage();
		if (failure.kind() == Kind.NOT_FOUND) {
			throw new PromptNotFoundException(key, message);
		}
		throw new PromptUnavailableException(key, message);
	}

}
