package io.github.observe4j.langfuse.sample.assistant;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A deterministic stand-in for an OpenAI-compatible chat model, served on {@code 127.0.0.1} so
 * that the assistant runs with no key and no network. It answers {@code POST
 * /v1/chat/completions} at once or, for {@code "stream": true}, as server-sent events one word
 * per chunk, with a usage chunk when {@code stream_options.include_usage} asks for it. Offered
 * tools, it first calls the first one with the user's question, then answers with what the tool
 * returned, as a real model would.
 */
final class OpenAiStubServer implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Pause between streamed words, so that a stream looks like one. */
	private static final long WORD_INTERVAL_MILLIS = 10;

	private final HttpServer server;

	private final ExecutorService executor;

	private final AtomicLong completions = new AtomicLong();

	private OpenAiStubServer(HttpServer server) {
		this.server = server;
		AtomicInteger threads = new AtomicInteger();
		// bounded: a few requests at a time is all a sample needs
		this.executor = Executors.newFixedThreadPool(4, (task) -> {
			Thread thread = new Thread(task, "openai-stub-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		server.createContext("/v1/chat/completions", this::handle);
		server.setExecutor(this.executor);
		server.start();
	}

	/**
	 * Start a stub on a free port of the loopback interface.
	 * @return the running stub
	 */
	static OpenAiStubServer start() {
		try {
			return new OpenAiStubServer(
					HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the OpenAI stub", ex);
		}
	}

	/**
	 * Return the base URL, without {@code /v1}.
	 * @return the URL
	 */
	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!"POST".equals(exchange.getRequestMethod())) {
				respond(exchange, 405, error("Only POST is supported"));
				return;
			}
			JsonNode request;
			try {
				request = JSON.readTree(exchange.getRequestBody().readAllBytes());
			}
			catch (RuntimeException ex) {
				respond(exchange, 400, error("The request body is not JSON"));
				return;
			}
			Reply reply = reply(request);
			String id = "chatcmpl-stub-" + this.completions.incrementAndGet();
			String model = request.path("model").asString("stub");
			if (request.path("stream").asBoolean(false)) {
				stream(exchange, id, model, reply, request.path("stream_options").path("include_usage").asBoolean(false));
			}
			else {
				respond(exchange, 200, completion(id, model, reply));
			}
		}
	}

	/**
	 * What the model says to a conversation: a call of the first offered tool until a tool has
	 * answered, then a text that uses the tool's answer.
	 */
	private static Reply reply(JsonNode request) {
		JsonNode messages = request.path("messages");
		int promptTokens = 0;
		String question = "";
		@Nullable String toolResult = null;
		for (JsonNode message : messages) {
			String content = text(message.path("content"));
			promptTokens += words(content);
			switch (message.path("role").asString("")) {
				case "user" -> question = content;
				case "tool" -> toolResult = unquoted(content);
				default -> {
				}
			}
		}
		JsonNode tools = request.path("tools");
		if (toolResult == null && tools.isArray() && !tools.isEmpty()) {
			JsonNode function = tools.get(0).path("function");
			String arguments = JSON.writeValueAsString(Map.of(firstParameter(function), question));
			return Reply.toolCall("call_stub_" + Math.abs(question.hashCode()), function.path("name").asString(""),
					arguments, promptTokens + 10 * tools.size());
		}
		String answer = (toolResult != null) ? "Here is what I found: " + toolResult
				: "For " + question + " the fable to read is The Tortoise and the Hare: slow and steady wins the race.";
		return Reply.text(answer, promptTokens);
	}

	/** A tool's answer as text: Spring AI sends a returned string as a JSON string. */
	private static String unquoted(String toolResult) {
		if (toolResult.startsWith("\"")) {
			try {
				return JSON.readTree(toolResult).asString(toolResult);
			}
			catch (RuntimeException ex) {
				return toolResult;
			}
		}
		return toolResult;
	}

	private static String firstParameter(JsonNode function) {
		for (String name : function.path("parameters").path("properties").propertyNames()) {
			return name;
		}
		return "input";
	}

	/** The text of a message whose content is a string or a list of parts. */
	private static String text(JsonNode content) {
		if (!content.isArray()) {
			return content.asString("");
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode part : content) {
			text.append(part.path("text").asString(""));
		}
		return text.toString();
	}

	private static int words(String text) {
		String trimmed = text.trim();
		return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
	}

	private static Map<String, Object> completion(String id, String model, Reply reply) {
		Map<String, Object> message = (reply.toolCall() != null)
				? Map.of("role", "assistant", "content", "", "tool_calls", List.of(reply.toolCall()))
				: Map.of("role", "assistant", "content", reply.text());
		return Map.of("id", id, "object", "chat.completion", "created", System.currentTimeMillis() / 1000, "model",
				model, "choices", List.of(Map.of("index", 0, "message", message, "finish_reason", reply.finishReason())),
				"usage", reply.usage());
	}

	private static void stream(HttpExchange exchange, String id, String model, Reply reply, boolean includeUsage)
			throws IOException {
		exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
		exchange.sendResponseHeaders(200, 0);
		OutputStream body = exchange.getResponseBody();
		long created = System.currentTimeMillis() / 1000;
		try {
			for (Map<String, Object> delta : deltas(reply)) {
				send(body, chunk(id, model, created, List.of(Map.of("index", 0, "delta", delta))));
				Thread.sleep(WORD_INTERVAL_MILLIS);
			}
			send(body, chunk(id, model, created,
					List.of(Map.of("index", 0, "delta", Map.of(), "finish_reason", reply.finishReason()))));
			if (includeUsage) {
				Map<String, Object> usage = chunk(id, model, created, List.of());
				usage.put("usage", reply.usage());
				send(body, usage);
			}
			body.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
			body.flush();
		}
		catch (IOException ex) {
			// the client went away, such as a cancelled stream: nothing left to tell it
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static List<Map<String, Object>> deltas(Reply reply) {
		List<Map<String, Object>> deltas = new ArrayList<>();
		if (reply.toolCall() != null) {
			Map<String, Object> call = new LinkedHashMap<>(reply.toolCall());
			call.put("index", 0);
			deltas.add(Map.of("role", "assistant", "tool_calls", List.of(call)));
			return deltas;
		}
		String[] words = reply.text().split("(?<= )");
		for (int i = 0; i < words.length; i++) {
			deltas.add((i == 0) ? Map.of("role", "assistant", "content", words[i]) : Map.of("content", words[i]));
		}
		return deltas;
	}

	private static Map<String, Object> chunk(String id, String model, long created, List<?> choices) {
		Map<String, Object> chunk = new LinkedHashMap<>();
		chunk.put("id", id);
		chunk.put("object", "chat.completion.chunk");
		chunk.put("created", created);
		chunk.put("model", model);
		chunk.put("choices", choices);
		return chunk;
	}

	private static void send(OutputStream body, Map<String, Object> chunk) throws IOException {
		body.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
		body.flush();
	}

	private static Map<String, Object> error(String message) {
		return Map.of("error", Map.of("message", message, "type", "invalid_request_error"));
	}

	private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
		byte[] bytes = JSON.writeValueAsBytes(body);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
	}

	/**
	 * One answer of the stub.
	 *
	 * @param text the answer text, empty for a tool call
	 * @param toolCall a tool call in OpenAI's shape, or {@code null}
	 * @param promptTokens prompt tokens to report
	 * @param completionTokens completion tokens to report
	 */
	private record Reply(String text, @Nullable Map<String, Object> toolCall, int promptTokens,
			int completionTokens) {

		static Reply text(String text, int promptTokens) {
			return new Reply(text, null, promptTokens, words(text));
		}

		static Reply toolCall(String id, String name, String arguments, int promptTokens) {
			return new Reply("", Map.of("id", id, "type", "function", "function",
					Map.of("name", name, "arguments", arguments)), promptTokens, 5 + words(arguments));
		}

		String finishReason() {
			return (this.toolCall != null) ? "tool_calls" : "stop";
		}

		Map<String, Object> usage() {
			return Map.of("prompt_tokens", this.promptTokens, "completion_tokens", this.completionTokens,
					"total_tokens", this.promptTokens + this.completionTokens);
		}

	}

}
