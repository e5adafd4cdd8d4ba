package io.github.observe4j.langfuse.testsupport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP server on {@code 127.0.0.1} that stands in for Langfuse in tests: it records every
 * request, answers with scripted responses per path (or Langfuse-like defaults), and can be
 * stopped and restarted on the same port to simulate an outage. {@link #startTls()} serves
 * HTTPS with a certificate for {@code localhost} signed by the test CA in {@code tls/}.
 * <pre class="code">
 * try (FakeLangfuseServer server = FakeLangfuseServer.start()) {
 *     server.enqueue(FakeLangfuseServer.OTEL_PATH, FakeResponse.status(503));
 *     // point the code under test at server.url()
 *     await().until(() -&gt; server.receivedSpans().size() == 3);
 * }
 * </pre>
 */
public final class FakeLangfuseServer implements AutoCloseable {

	/** Langfuse's OTLP trace endpoint. */
	public static final String OTEL_PATH = "/api/public/otel/v1/traces";

	/** Langfuse's score endpoint. */
	public static final String SCORES_PATH = "/api/public/scores";

	/** Langfuse's project endpoint. */
	public static final String PROJECTS_PATH = "/api/public/projects";

	/** Classpath location of the test CA certificate (PEM) that signed the TLS server's certificate. */
	public static final String TLS_CA_CERTIFICATE = "classpath:tls/ca.crt";

	/** Classpath resource of a PKCS12 trust store with the test CA; its password is {@value #TLS_PASSWORD}. */
	public static final String TLS_TRUST_STORE = "tls/truststore.p12";

	/** Password of the test key and trust stores. */
	public static final String TLS_PASSWORD = "changeit";

	/** Project id in the default projects response. */
	public static final String PROJECT_ID = "project-123";

	/** A public key for tests. */
	public static final String PUBLIC_KEY = "pk-lf-test-public";

	/** A secret key for tests; assert that it never shows up in logs or strings. */
	public static final String SECRET_KEY = "sk-lf-test-secret-do-not-log";

	private static final String PROJECTS_BODY = "{\"data\":[{\"id\":\"" + PROJECT_ID
			+ "\",\"name\":\"p\",\"organization\":{\"id\":\"o\",\"name\":\"o\"},\"metadata\":{}}]}";

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final Map<String, Deque<FakeResponse>> scripted = new HashMap<>();

	private final Map<String, FakeResponse> defaults = new HashMap<>();

	private final Map<String, Function<RecordedRequest, FakeResponse>> responders = new HashMap<>();

	/** Requests answered (or about to be answered) with 2xx: what Langfuse would have stored. */
	private final List<RecordedRequest> stored = new CopyOnWriteArrayList<>();

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "fake-langfuse");
		thread.setDaemon(true);
		return thread;
	});

	/** Released on stop, so handlers that simulate a hanging server let go. */
	private volatile CountDownLatch stopped = new CountDownLatch(1);

	private final @Nullable SSLContext tls;

	private @Nullable HttpServer server;

	private int port;

	private FakeLangfuseServer(@Nullable SSLContext tls) {
		this.tls = tls;
	}

	/**
	 * Start a server on an ephemeral port of {@code 127.0.0.1}.
	 * @return the running server
	 */
	public static FakeLangfuseServer start() {
		FakeLangfuseServer fake = new FakeLangfuseServer(null);
		fake.bind(0);
		return fake;
	}

	/**
	 * Start an HTTPS server on an ephemeral port of {@code 127.0.0.1}, with the test certificate
	 * for {@code localhost}; clients must trust {@link #TLS_CA_CERTIFICATE}.
	 * @return the running server
	 */
	public static FakeLangfuseServer startTls() {
		FakeLangfuseServer fake = new FakeLangfuseServer(serverTlsContext());
		fake.bind(0);
		return fake;
	}

	/**
	 * Return a client TLS context that trusts only the test CA.
	 * @return the context
	 */
	public static SSLContext clientTlsContext() {
		try {
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(loadStore(TLS_TRUST_STORE));
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static SSLContext serverTlsContext() {
		try {
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(loadStore("tls/server.p12"), TLS_PASSWORD.toCharArray());
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys.getKeyManagers(), null, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyStore loadStore(String resource) {
		try (InputStream in = FakeLangfuseServer.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("No test key store " + resource);
			}
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, TLS_PASSWORD.toCharArray());
			return store;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the base URL, for example {@code http://127.0.0.1:41234}, or
	 * {@code https://localhost:41234} for a TLS server (the name its certificate is for).
	 * @return the URL
	 */
	public String url() {
		return (this.tls != null) ? "https://localhost:" + this.port : "http://127.0.0.1:" + this.port;
	}

	/**
	 * Return the port, which stays the same across {@link #stop()} and {@link #restart()}.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Stop accepting connections, as if Langfuse were down. Recorded requests and scripts are kept.
	 */
	public synchronized void stop() {
		HttpServer current = this.server;
		if (current != null) {
			this.server = null;
			this.stopped.countDown();
			current.stop(0);
		}
	}

	/**
	 * Start again on the same port after {@link #stop()}.
	 */
	public synchronized void restart() {
		if (this.server == null) {
			this.stopped = new CountDownLatch(1);
			bind(this.port);
		}
	}

	/**
	 * Return whether the server accepts connections.
	 * @return whether it is running
	 */
	public synchronized boolean isRunning() {
		return this.server != null;
	}

	/**
	 * Answer the next request to the path with the given response; responses queue up in order.
	 * @param path the request path
	 * @param response the response
	 * @return this server
	 */
	public FakeLangfuseServer enqueue(String path, FakeResponse response) {
		synchronized (this.scripted) {
			this.scripted.computeIfAbsent(path, (key) -> new ArrayDeque<>()).add(response);
		}
		return this;
	}

	/**
	 * Answer every request to the path that has no queued response with the given response.
	 * @param path the request path
	 * @param response the response
	 * @return this server
	 */
	public FakeLangfuseServer setDefaultResponse(String path, FakeResponse response) {
		synchronized (this.scripted) {
			this.defaults.put(path, response);
		}
		return this;
	}

	/**
	 * Answer every request to the path that has no queued response by asking the function, for
	 * example to refuse bodies over a size with 413. Takes precedence over the default response.
	 * @param path the request path
	 * @param responder chooses the response for a request
	 * @return this server
	 */
	public FakeLangfuseServer respondWith(String path, Function<RecordedRequest, FakeResponse> responder) {
		synchronized (this.scripted) {
			this.responders.put(path, responder);
		}
		return this;
	}

	/**
	 * Forget recorded requests, queued responses and custom defaults.
	 */
	public void reset() {
		synchronized (this.scripted) {
			this.scripted.clear();
			this.defaults.clear();
			this.responders.clear();
		}
		this.requests.clear();
		this.stored.clear();
	}

	/**
	 * Return the spans Langfuse would have stored: those of OTLP requests answered with 2xx,
	 * including answers that came too late for the client, in order of arrival.
	 * @return the stored spans
	 */
	public List<Span> storedSpans() {
		List<Span> spans = new ArrayList<>();
		for (RecordedRequest request : this.stored) {
			if (request.path().equals(OTEL_PATH)) {
				for (ResourceSpans resourceSpans : request.traceRequest().getResourceSpansList()) {
					for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
						spans.addAll(scopeSpans.getSpansList());
					}
				}
			}
		}
		return spans;
	}

	/**
	 * Return the requests to a path that were answered with 2xx, in order of arrival.
	 * @param path the path
	 * @return the stored requests
	 */
	public List<RecordedRequest> storedRequests(String path) {
		return this.stored.stream().filter((request) -> request.path().equals(path)).toList();
	}

	/**
	 * Return every request received, in order of arrival.
	 * @return the requests
	 */
	public List<RecordedRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * Return the requests received for a path, in order of arrival.
	 * @param path the path
	 * @return the requests
	 */
	public List<RecordedRequest> requests(String path) {
		return this.requests.stream().filter((request) -> request.path().equals(path)).toList();
	}

	/**
	 * Decode the bodies of all requests to the OTLP endpoint.
	 * @return the trace requests, in order of arrival
	 */
	public List<ExportTraceServiceRequest> traceRequests() {
		return requests(OTEL_PATH).stream().map(RecordedRequest::traceRequest).toList();
	}

	/**
	 * Return all spans received on the OTLP endpoint, in order of arrival, including spans of
	 * requests that were answered with an error.
	 * @return the spans
	 */
	public List<Span> receivedSpans() {
		List<Span> spans = new ArrayList<>();
		for (ExportTraceServiceRequest request : traceRequests()) {
			for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
				for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
					spans.addAll(scopeSpans.getSpansList());
				}
			}
		}
		return spans;
	}

	/**
	 * Return the names of all spans received on the OTLP endpoint.
	 * @return the span names
	 */
	public List<String> receivedSpanNames() {
		return receivedSpans().stream().map(Span::getName).toList();
	}

	@Override
	public void close() {
		stop();
		this.executor.shutdownNow();
	}

	@Override
	public String toString() {
		return "FakeLangfuseServer[" + url() + "]";
	}

	private void bind(int requestedPort) {
		IOException failure = null;
		// Rebinding the same port can fail briefly while the old socket is released
		for (int attempt = 0; attempt < 50; attempt++) {
			try {
				InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort);
				HttpServer created;
				if (this.tls != null) {
					HttpsServer https = HttpsServer.create(address, 50);
					https.setHttpsConfigurator(new HttpsConfigurator(this.tls));
					created = https;
				}
				else {
					created = HttpServer.create(address, 50);
				}
				created.setExecutor(this.executor);
				created.createContext("/", this::handle);
				created.start();
				this.server = created;
				this.port = created.getAddress().getPort();
				return;
			}
			catch (BindException ex) {
				failure = ex;
				sleep(Duration.ofMillis(100));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		throw new UncheckedIOException("Could not bind port " + requestedPort, failure);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			byte[] raw = exchange.getRequestBody().readAllBytes();
			Map<String, List<String>> headers = new LinkedHashMap<>();
			exchange.getRequestHeaders()
				.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
			String path = exchange.getRequestURI().getPath();
			RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), path, headers,
					decode(raw, headers), raw, Instant.now(), System.nanoTime(), exchange.getRequestURI().getRawQuery());
			this.requests.add(request);
			FakeResponse response = nextResponse(request);
			if (response.status() >= 200 && response.status() < 300) {
				// stored before it answers: a late answer does not undo it, as with Langfuse
				this.stored.add(request);
			}
			CountDownLatch gate = response.gate();
			if (gate != null) {
				try {
					while (!gate.await(50, TimeUnit.MILLISECONDS) && this.stopped.getCount() > 0) {
						// wait for the test, or for the server to stop
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			if (!response.delay().isZero() && !response.delay().isNegative()) {
				try {
					this.stopped.await(response.delay().toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			if (response.status() == FakeResponse.RESET) {
				// close the connection without an answer, as a crashing proxy would
				exchange.close();
				return;
			}
			byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
			exchange.sendResponseHeaders(response.status(), (body.length > 0) ? body.length : -1);
			if (body.length > 0) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
		}
		finally {
			exchange.close();
		}
	}

	private FakeResponse nextResponse(RecordedRequest request) {
		String path = request.path();
		synchronized (this.scripted) {
			Deque<FakeResponse> queue = this.scripted.get(path);
			if (queue != null && !queue.isEmpty()) {
				return queue.poll();
			}
			Function<RecordedRequest, FakeResponse> responder = this.responders.get(path);
			if (responder != null) {
				return responder.apply(request);
			}
			FakeResponse custom = this.defaults.get(path);
			if (custom != null) {
				return custom;
			}
		}
		return switch (path) {
			case OTEL_PATH -> FakeResponse.ok("{}");
			case SCORES_PATH -> FakeResponse.ok("{\"id\":\"" + UUID.randomUUID() + "\"}");
			case PROJECTS_PATH -> FakeResponse.ok(PROJECTS_BODY);
			default -> FakeResponse.status(404).body("{\"message\":\"Not found\"}");
		};
	}

	private static byte[] decode(byte[] raw, Map<String, List<String>> headers) {
		List<String> encoding = headers.getOrDefault("content-encoding", List.of());
		if (!encoding.contains("gzip")) {
			return raw;
		}
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			// Keep the raw bytes; the test will see that they do not decode
			return raw;
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A request as the server received it.
	 *
	 * @param method the HTTP method
	 * @param path the path, without query
	 * @param headers the headers, names in lowercase
	 * @param body the body, gunzipped if it was sent with {@code Content-Encoding: gzip}
	 * @param rawBody the body as sent
	 * @param time when it arrived
	 * @param nanoTime {@link System#nanoTime()} when it arrived, to measure gaps
	 * @param query the query as sent (still encoded), or {@code null} for none
	 */
	public record RecordedRequest(String method, String path, Map<String, List<String>> headers, byte[] body,
			byte[] rawBody, Instant time, long nanoTime, @Nullable String query) {

		/**
		 * Return the first value of a header.
		 * @param name the header name, in any case
		 * @return the value, or {@code null}
		 */
		public @Nullable String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

		/**
		 * Return the body as UTF-8 text.
		 * @return the text
		 */
		public String bodyAsString() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		/**
		 * Decode the {@code Authorization: Basic} header.
		 * @return {@code "publicKey:secretKey"}, or {@code null} if there is no Basic header
		 */
		public @Nullable String basicCredentials() {
			String authorization = header("Authorization");
			if (authorization == null || !authorization.startsWith("Basic ")) {
				return null;
			}
			return new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
		}

		/**
		 * Decode the body as an OTLP trace request.
		 * @return the request
		 * @throws IllegalStateException if the body is not one
		 */
		public ExportTraceServiceRequest traceRequest() {
			try {
				return ExportTraceServiceRequest.parseFrom(this.body);
			}
			catch (InvalidProtocolBufferException ex) {
				throw new IllegalStateException("Body of " + this.method + " " + this.path + " is not OTLP protobuf",
						ex);
			}
		}

	}

	/**
	 * A scripted response.
	 */
	public static final class FakeResponse {

		static final int RESET = -1;

		private final int status;

		private final Map<String, String> headers;

		private final String body;

		private final Duration delay;

		private final @Nullable CountDownLatch gate;

		private FakeResponse(int status, Map<String, String> headers, String body, Duration delay) {
			this(status, headers, body, delay, null);
		}

		private FakeResponse(int status, Map<String, String> headers, String body, Duration delay,
				@Nullable CountDownLatch gate) {
			this.status = status;
			this.headers = headers;
			this.body = body;
			this.delay = delay;
			this.gate = gate;
		}

		/**
		 * Return a copy that is sent only once the gate opens (or the server stops), for a test
		 * that must see the client before the answer, however slow the machine.
		 * @param gate counted down by the test to let the answer through
		 * @return a new response
		 */
		public FakeResponse after(CountDownLatch gate) {
			return new FakeResponse(this.status, this.headers, this.body, this.delay, gate);
		}

		@Nullable CountDownLatch gate() {
			return this.gate;
		}

		/**
		 * Create a response with the given status and an empty body.
		 * @param status the HTTP status
		 * @return the response
		 */
		public static FakeResponse status(int status) {
			return new FakeResponse(status, Map.of(), "", Duration.ZERO);
		}

		/**
		 * Create a 200 response with a JSON body.
		 * @param json the body
		 * @return the response
		 */
		public static FakeResponse ok(String json) {
			return status(200).body(json);
		}

		/**
		 * Create a non-answer: the server reads the request, then closes the connection.
		 * @return the response
		 */
		public static FakeResponse reset() {
			return new FakeResponse(RESET, Map.of(), "", Duration.ZERO);
		}

		/**
		 * Create a response that never comes: the server holds the request until it stops.
		 * @return the response
		 */
		public static FakeResponse hang() {
			return status(200).delay(Duration.ofMinutes(5));
		}

		/**
		 * Return a copy with the given body.
		 * @param body the body
		 * @return a new response
		 */
		public FakeResponse body(String body) {
			return new FakeResponse(this.status, this.headers, body, this.delay);
		}

		/**
		 * Return a copy with an extra header.
		 * @param name the header name
		 * @param value the header value
		 * @return a new response
		 */
		public FakeResponse header(String name, String value) {
			Map<String, String> headers = new LinkedHashMap<>(this.headers);
			headers.put(name, value);
			return new FakeResponse(this.status, Map.copyOf(headers), this.body, this.delay);
		}

		/**
		 * Return a copy that is sent only after the given delay (or when the server stops).
		 * @param delay the delay
		 * @return a new response
		 */
		public FakeResponse delay(Duration delay) {
			return new FakeResponse(this.status, this.headers, this.body, delay);
		}

		int status() {
			return this.status;
		}

		Map<String, String> headers() {
			return this.headers;
		}

		String body() {
			return this.body;
		}

		Duration delay() {
			return this.delay;
		}

	}

}
