package io.github.observe4j.langfuse.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import io.github.observe4j.langfuse.internal.context.GlobalRegistry;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.openai.OpenAiClients;

/**
 * The Java counterpart of Python's {@code from langfuse.openai import openai}: a client whose
 * chat completions, plain or streamed, become Langfuse generations, children of the current
 * {@code @Observe} observation. In a Spring Boot application {@code OpenAIClient} beans are
 * wrapped already; this is for clients built by hand.
 * <pre class="code">
 * OpenAIClient client = LangfuseOpenAi.wrap(OpenAIOkHttpClient.fromEnv());
 * </pre>
 * The client records through the Langfuse of the running application, found on each call:
 * before it has started, and with tracing off, calls pass through unrecorded.
 *
 * @since 0.1.0
 */
public final class LangfuseOpenAi {

	private static final GlobalRegistry<LlmCalls> calls = GlobalRegistry.of(LlmCalls.class);

	private LangfuseOpenAi() {
	}

	/**
	 * Wrap a client. Everything but chat completions works exactly as before; a wrapped client
	 * is returned as it is.
	 * @param client the client
	 * @return the wrapped client
	 */
	public static OpenAIClient wrap(OpenAIClient client) {
		return OpenAiClients.wrap(client, calls::current);
	}

	/**
	 * Wrap an async client. Everything but chat completions works exactly as before; a wrapped
	 * client is returned as it is.
	 * @param client the client
	 * @return the wrapped client
	 */
	public static OpenAIClientAsync wrap(OpenAIClientAsync client) {
		return OpenAiClients.wrap(client, calls::current);
	}

}
