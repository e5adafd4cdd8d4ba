package io.github.observe4j.langfuse.internal.prompt;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import io.github.observe4j.langfuse.internal.export.HttpRequest;
import io.github.observe4j.langfuse.internal.export.HttpResult;
import io.github.observe4j.langfuse.internal.export.HttpTransport;
import io.github.observe4j.langfuse.internal.prompt.PromptFetchException.Kind;
import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.prompt.ChatMessage;
import io.github.observe4j.langfuse.prompt.ChatPrompt;
import io.github.observe4j.langfuse.prompt.LangfusePrompt;
import io.github.observe4j.langfuse.prompt.PromptKey;
import io.github.observe4j.langfuse.prompt.TextPrompt;
import org.jspecify.annotations.Nullable;

/**
 * Fetches one prompt version ({@code GET} {@value #PATH}{@code /{name}?label=|version=}) over the
 * export's transport, so HTTPS, the proxy and the keys apply, and reads it into a
 * {@link TextPrompt} or {@link ChatPrompt}. Chat entries that are not messages (placeholders
 * for message lists) are left out.
 *
 * @since 0.1.0
 */
public final class PromptApi {

	/** Path of Langfuse's prompt endpoint. */
	public static final String PATH = "/api/public/v2/prompts";

	/** Most bytes of a prompt response read; a longer one fails as unreadable. */
	static final int MAX_RESPONSE_BYTES = 1024 * 1024;

	private final HttpTransport transport;

	private final Function<String, @Nullable Object> jsonReader;

	/**
	 * Create a prompt API client.
	 * @param transport sends the requests
	 * @param jsonReader parses a JSON text into maps, lists, strings, numbers and booleans; may
	 * throw on invalid JSON
	 */
	public PromptApi(HttpTransport transport, Function<String, @Nullable Object> jsonReader) {
		this.transport = Objects.requireNonNull(transport, "transport must not be null");
		this.jsonReader = Objects.requireNonNull(jsonReader, "jsonReader must not be null");
	}

	/**
	 * Fetch a prompt. Never throws.
	 * @param key the prompt
	 * @return the prompt, or a future failed with a {@link PromptFetchException}
	 */
	CompletableFuture<LangfusePrompt> fetch(PromptKey key) {
		CompletableFuture<HttpResult> response;
		try {
			response = this.transport.send(HttpRequest.get(path(key)).withMaxResponseBytes(MAX_RESPONSE_BYTES));
		}
		catch (RuntimeException | LinkageError ex) {
			response = CompletableFuture.failedFuture(ex);
		}
		return response.handle((result, failure) -> read(key, result, failure));
	}

	static String path(PromptKey key) {
		String selector = (key.version() != null) ? "version=" + key.version() : "label=" + encode(key.label());
		return PATH + "/" + encode(key.name()) + "?" + selector;
	}

	// a folder's slashes too: Langfuse wants the whole name as one encoded path segment
	private static String encode(@Nullable String value) {
		return URLEncoder.encode(Objects.requireNonNull(value), StandardCharsets.UTF_8).replace("+", "%20");
	}

	private LangfusePrompt read(PromptKey key, @Nullable HttpResult result, @Nullable Throwable failure) {
		if (result == null) {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			throw new PromptFetchException(Kind.UNREACHABLE, "cannot reach Langfuse at " + this.transport.target()
					+ " (" + ((cause != null) ? Failures.describe(cause) : "no response") + ")");
		}
		if (result.status() == 404) {
			throw new PromptFetchException(Kind.NOT_FOUND, "Langfuse has no prompt " + key);
		}
		if (result.status() == 401 || result.status() == 403) {
			throw new PromptFetchException(Kind.REJECTED, "Langfuse rejected the keys (HTTP " + result.status()
					+ "); check langfuse.public-key and langfuse.secret-key");
		}
		if (!result.isSuccess()) {
			throw new PromptFetchException(Kind.STATUS, "Langfuse answered HTTP " + result.status());
		}
		try {
			LangfusePrompt prompt = parse(this.jsonReader.apply(result.body()));
			if (prompt != null) {
				return prompt;
			}
		}
		catch (RuntimeException ex) {
			// invalid JSON, or a body cut at the size limit
		}
		throw new PromptFetchException(Kind.INVALID, "Langfuse's answer is not a prompt");
	}

	static @Nullable LangfusePrompt parse(@Nullable Object json) {
		if (!(json instanceof Map<?, ?> body) || !(body.get("name") instanceof String name)
				|| !(body.get("version") instanceof Number version)) {
			return null;
		}
		List<String> labels = new ArrayList<>();
		if (body.get("labels") instanceof List<?> values) {
			values.stream().filter(String.class::isInstance).map(String.class::cast).forEach(labels::add);
		}
		Map<String, ?> config = (body.get("config") instanceof Map<?, ?> map) ? stringKeys(map) : Map.of();
		Object prompt = body.get("prompt");
		Object type = body.get("type");
		if (prompt instanceof String text && !"chat".equals(type)) {
			return new TextPrompt(name, version.intValue(), labels, config, text);
		}
		if (prompt instanceof List<?> entries && !"text".equals(type)) {
			return new ChatPrompt(name, version.intValue(), labels, config, messages(entries));
		}
		return null;
	}

	private static List<ChatMessage> messages(List<?> entries) {
		List<ChatMessage> messages = new ArrayList<>(entries.size());
		for (Object entry : entries) {
			if (entry instanceof Map<?, ?> message && message.get("role") instanceof String role
					&& message.get("content") instanceof String content) {
				messages.add(new ChatMessage(role, content));
			}
		}
		return messages;
	}

	private static Map<String, @Nullable Object> stringKeys(Map<?, ?> map) {
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		map.forEach((name, value) -> result.put(String.valueOf(name), value));
		return result;
	}

	@Override
	public String toString() {
		return "PromptApi[" + this.transport.target() + "]";
	}

}
