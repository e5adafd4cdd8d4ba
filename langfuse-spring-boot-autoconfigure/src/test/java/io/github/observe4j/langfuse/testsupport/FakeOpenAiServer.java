package io.github.observe4j.langfuse.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server on {@code 127.0.0.1} that speaks the OpenAI chat completions and embeddings
 * API, standing in for an LLM provider in tests of the framework integrations. Replies are
 * scripted in order ({@link #enqueue(Reply)}); with none queued it answers {@code Hello world}.
 * A request with {@code "stream": true} is answered as server-sent events, one chunk per word,
 * with a final usage chunk, as OpenAI does with {@code stream_options.include_usage}.
 * <pre class="code">
 * try (FakeOpenAiServer openAi = FakeOpenAiServer.start()) {
 *     openAi.enqueue(Reply.toolCall("call_1", "weather", "{\"city\":\"Paris\"}"));
 *     openAi.enqueue(Reply.text("Sunny", 20, 3));
 *     // point the model at openAi.baseUrl()
 * }
 * </pre>
 */
public final class FakeOpenAiServer implements AutoCloseable {

	/** The model every reply names unless the reply says otherwise. */
	public static final String MODEL = "gpt-4o-mini-2024-07-18";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "fake-openai");
		thread.setDaemon(true);
		return thread;
	});

	private final ConcurrentLinkedDeque<Reply> replies = new ConcurrentLinkedDeque<>();

	private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

	private FakeOpenAiServer(HttpServer server) {
		this.server = server;
		server.createContext("/", this::handle);
		server.setExecutor(this.executor);
		server.start();
	}

	/**
	 * Start a server on a free port of {@code 127.0.0.1}.
	 * @return the running server
	 */
	public static FakeOpenAiServer start() {
		try {
			return new FakeOpenAiServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return the base URL, without {@code /v1}.
	 * @return the URL
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Queue the reply to the next request.
	 * @param reply the reply
	 * @return this server
	 */
	public FakeOpenAiServer enqueue(Reply reply) {
		this.replies.add(reply);
		return this;
	}

	/**
	 * Return the JSON bodies of the requests received so far, in order.
	 * @return the request bodies
	 */
	public List<JsonNode> requests() {
		return List.copyOf(this.requests);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
			this.requests.add(request);
			Reply reply = this.replies.poll();
			if (exchange.getRequestURI().getPath().endsWith("/embeddings")) {
				respond(exchange, 200, embedding(request));
				return;
			}
			if (reply == null) {
				reply = Reply.text("Hello world", 11, 7);
			}
			if (reply.status() != 200) {
				respond(exchange, reply.status(), Map.of("error", Map.of("message", reply.content(), "type",
						"invalid_request_error", "code", "error")));
				return;
			}
			if (request.path("stream").asBoolean(false)) {
				stream(exchange, reply);
			}
			else {
				respond(exchange, 200, completion(reply));
			}
		}
	}

	private static Map<String, Object> completion(Reply reply) {
		Map<String, Object> message = (reply.toolCall() != null)
				? Map.of("role", "assistant", "content", "", "tool_calls", List.of(reply.toolCall()))
				: Map.of("role", "assistant", "content", reply.content());
		return Map.of("id", "chatcmpl-" + Math.abs(reply.hashCode()), "object", "chat.completion", "created",
				1_700_000_000L, "model", MODEL, "choices",
				List.of(Map.of("index", 0, "message", message, "finish_reason",
						(reply.toolCall() != null) ? "tool_calls" : "stop")),
				"usage", usage(reply));
	}

	private static Map<String, Object> usage(Reply reply) {
		return Map.of("prompt_tokens", reply.promptTokens(), "completion_tokens", reply.completionTokens(),
				"total_tokens", reply.promptTokens() + reply.completionTokens());
	}

	private void stream(HttpExchange exchange, Reply reply) throws IOException {
		exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
		exchange.sendResponseHeaders(200, 0);
		OutputStream body = exchange.getResponseBody();
		String id = "chatcmpl-" + Math.abs(reply.hashCode());
		List<Map<String, Object>> deltas = new ArrayList<>();
		if (reply.toolCall() != null) {
			deltas.add(Map.of("role", "assistant", "tool_calls",
					List.of(Map.of("index", 0, "id", reply.toolCall().get("id"), "type", "function", "function",
							reply.toolCall().get("function")))));
		}
		else {
			String[] words = reply.content().split("(?<= )");
			for (int i = 0; i < words.length; i++) {
				deltas.add((i == 0) ? Map.of("role", "assistant", "content", words[i]) : Map.of("content", words[i]));
			}
		}
		try {
			for (Map<String, Object> delta : deltas) {
				send(body, Map.of("id", id, "object", "chat.completion.chunk", "created", 1_700_000_000L, "model", MODEL,
						"choices", List.of(Map.of("index", 0, "delta", delta))));
				pause(reply.chunkDelay());
			}
			send(body, Map.of("id", id, "object", "chat.completion.chunk", "created", 1_700_000_000L, "model", MODEL,
					"choices", List.of(Map.of("index", 0, "delta", Map.of(), "finish_reason",
							(reply.toolCall() != null) ? "tool_calls" : "stop"))));
			send(body, Map.of("id", id, "object", "chat.completion.chunk", "created", 1_700_000_000L, "model", MODEL,
					"choices", List.of(), "usage", usage(reply)));
			body.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
			body.flush();
		}
		catch (IOException ex) {
			// the client went away, such as a cancelled stream
		}
	}

	private static void send(OutputStream body, Map<String, Object> chunk) throws IOException {
		body.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
		body.flush();
	}

	private static void pause(Duration delay) {
		if (!delay.isZero()) {
			try {
				Thread.sleep(delay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static Map<String, Object> embedding(JsonNode request) {
		JsonNode input = request.path("input");
		int count = input.isArray() ? input.size() : 1;
		List<Map<String, Object>> data = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			data.add(Map.of("object", "embedding", "index", i, "embedding", List.of(0.1, 0.2, 0.3)));
		}
		return Map.of("object", "list", "data", data, "model", "text-embedding-3-small", "usage",
				Map.of("prompt_tokens", 5 * count, "total_tokens", 5 * count));
	}

	private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
		byte[] bytes = JSON.writeValueAsBytes(body);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
	}

	/**
	 * A scripted reply.
	 *
	 * @param status the HTTP status; anything but 200 is an OpenAI error with {@code content} as
	 * its message
	 * @param content the answer text
	 * @param toolCall a tool call in OpenAI shape instead of text, or {@code null}
	 * @param promptTokens reported prompt tokens
	 * @param completionTokens reported completion tokens
	 * @param chunkDelay pause after each streamed chunk
	 */
	public record Reply(int status, String content, @org.jspecify.annotations.Nullable Map<String, Object> toolCall,
			int promptTokens, int completionTokens, Duration chunkDelay) {

		/**
		 * A text answer.
		 * @param content the text
		 * @param promptTokens prompt tokens
		 * @param completionTokens completion tokens
		 * @return the reply
		 */
		public static Reply text(String content, int promptTokens, int completionTokens) {
			return new Reply(200, content, null, promptTokens, completionTokens, Duration.ZERO);
		}

		/**
		 * A tool call.
		 * @param id the tool call id
		 * @param name the function name
		 * @param arguments the arguments as JSON text
		 * @return the reply
		 */
		public static Reply toolCall(String id, String name, String arguments) {
			return new Reply(200, "", Map.of("id", id, "type", "function", "function",
					Map.of("name", name, "arguments", arguments)), 20, 5, Duration.ZERO);
		}

		/**
		 * An error answer.
		 * @param status the HTTP status
		 * @param message the error message
		 * @return the reply
		 */
		public static Reply error(int status, String message) {
			return new Reply(status, message, null, 0, 0, Duration.ZERO);
		}

		/**
		 * Return this reply with a pause after each streamed chunk, to cancel a stream midway.
		 * @param delay the pause
		 * @return the reply
		 */
		public Reply withChunkDelay(Duration delay) {
			return new Reply(this.status, this.content, this.toolCall, this.promptTokens, this.completionTokens, delay);
		}

	}

}
