package io.github.observe4j.langfuse.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for Langfuse on 127.0.0.1: answers every request with 200, counts requests and
 * body bytes per endpoint, and keeps nothing. {@code GET /api/public/projects} returns a project
 * so the auth check and the trace URL work.
 */
final class LoopbackSink implements AutoCloseable {

	static final String TRACES_PATH = "/api/public/otel/v1/traces";

	static final String SCORES_PATH = "/api/public/scores";

	static final String PROJECTS_PATH = "/api/public/projects";

	private static final byte[] PROJECTS_BODY = "{\"data\":[{\"id\":\"bench-project\",\"name\":\"bench\"}]}"
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);

	private final LongAdder traceRequests = new LongAdder();

	private final LongAdder traceBytes = new LongAdder();

	private final LongAdder otherRequests = new LongAdder();

	private final LongAdder otherBytes = new LongAdder();

	private final HttpServer server;

	private final ExecutorService executor;

	private LoopbackSink(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	/**
	 * Start a sink on an ephemeral loopback port.
	 * @return the started sink
	 * @throws IOException if the port cannot be bound
	 */
	static LoopbackSink start() throws IOException {
		// Without TCP_NODELAY, delayed ACKs cap a request-response loop at about 25 per second.
		System.setProperty("sun.net.httpserver.nodelay", "true");
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
		ExecutorService executor = Executors.newFixedThreadPool(2, (runnable) -> {
			Thread thread = new Thread(runnable, "loopback-sink");
			thread.setDaemon(true);
			return thread;
		});
		server.setExecutor(executor);
		LoopbackSink sink = new LoopbackSink(server, executor);
		server.createContext("/", sink::handle);
		server.start();
		return sink;
	}

	/**
	 * Return the base URL to configure as the Langfuse host.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	long traceRequests() {
		return this.traceRequests.sum();
	}

	long traceBytes() {
		return this.traceBytes.sum();
	}

	long otherRequests() {
		return this.otherRequests.sum();
	}

	/**
	 * Print what the sink received.
	 * @param candidate the candidate name to print
	 */
	void report(String candidate) {
		long requests = traceRequests();
		long bytes = traceBytes();
		System.out.printf("%n[%s] sink received %d trace requests, %d bytes (%d bytes/request); %d other requests, "
				+ "%d bytes%n", candidate, requests, bytes, (requests > 0) ? bytes / requests : 0, otherRequests(),
				this.otherBytes.sum());
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			long bytes = drain(exchange.getRequestBody());
			String path = exchange.getRequestURI().getPath();
			if (TRACES_PATH.equals(path)) {
				this.traceRequests.increment();
				this.traceBytes.add(bytes);
			}
			else {
				this.otherRequests.increment();
				this.otherBytes.add(bytes);
			}
			byte[] body = path.startsWith(PROJECTS_PATH) ? PROJECTS_BODY : EMPTY_JSON;
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	private static long drain(InputStream in) throws IOException {
		try (in) {
			return in.transferTo(OutputStream.nullOutputStream());
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
