package io.github.observe4j.langfuse.internal.openai;

import java.util.Objects;
import java.util.function.Supplier;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import org.jspecify.annotations.Nullable;

/**
 * Wraps OpenAI clients so that their chat completions are recorded as generations. The wrapped
 * client is the given one behind a proxy of its interface: every other service and method works
 * as before.
 *
 * @since 0.1.0
 */
public final class OpenAiClients {

	private OpenAiClients() {
	}

	/**
	 * Wrap a client; a client wrapped already is returned as it is.
	 * @param client the client
	 * @param calls where calls are started, asked on each call; while it gives {@code null} the
	 * client records nothing
	 * @return the wrapped client
	 */
	public static OpenAIClient wrap(OpenAIClient client, Supplier<@Nullable LlmCalls> calls) {
		Objects.requireNonNull(client, "client must not be null");
		Objects.requireNonNull(calls, "calls must not be null");
		if (isWrapped(client)) {
			return client;
		}
		return ObservingHandler.wrap(OpenAIClient.class, client, ChatCompletionObserver.of(calls));
	}

	/**
	 * Wrap an async client; a client wrapped already is returned as it is.
	 * @param client the client
	 * @param calls where calls are started, asked on each call; while it gives {@code null} the
	 * client records nothing
	 * @return the wrapped client
	 */
	public static OpenAIClientAsync wrap(OpenAIClientAsync client, Supplier<@Nullable LlmCalls> calls) {
		Objects.requireNonNull(client, "client must not be null");
		Objects.requireNonNull(calls, "calls must not be null");
		if (isWrapped(client)) {
			return client;
		}
		return ObservingHandler.wrap(OpenAIClientAsync.class, client, ChatCompletionObserver.of(calls));
	}

	/**
	 * Return whether a client was wrapped by this class.
	 * @param client the client
	 * @return whether it was
	 */
	public static boolean isWrapped(Object client) {
		return ObservingHandler.isWrapped(client);
	}

}
