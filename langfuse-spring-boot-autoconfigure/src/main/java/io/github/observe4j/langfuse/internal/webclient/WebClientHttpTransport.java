package io.github.observe4j.langfuse.internal.webclient;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import io.github.observe4j.langfuse.internal.export.HttpRequest;
import io.github.observe4j.langfuse.internal.export.HttpResult;
import io.github.observe4j.langfuse.internal.export.HttpTransport;
import io.github.observe4j.langfuse.internal.core.LangfuseVersion;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@link HttpTransport} on a dedicated WebFlux {@link WebClient}, by default over the JDK's
 * {@link HttpClient} (HTTP/1.1, TLS through the given {@link SSLContext} or the JVM's default
 * trust store, proxies through a {@link ProxySelector}), so an application needs no Netty for
 * it. The client is built from a fresh {@link WebClient#builder()}, never from the application's
 * shared builder, whose observation customizer would make every export trace itself. It has its
 * own daemon threads, released by {@link #close()}, and adds Basic authentication, the Langfuse
 * SDK headers and any extra headers to every request. Nothing blocks: {@link #send} returns at
 * once. A request path may also be a full {@code http(s)://} URL, for a traces endpoint that is
 * not on the Langfuse host. A path with a query is sent as it is (already encoded). Response
 * bodies are read up to {@link #MAX_RESPONSE_BODY_BYTES} unless the request asks for more.
 *
 * @since 0.1.0
 */
public final class WebClientHttpTransport implements HttpTransport {

	/** Default timeout for a whole request. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/** Default SDK name sent in {@code x-langfuse-sdk-name}. */
	public static final String DEFAULT_SDK_NAME = LangfuseVersion.SDK_NAME;

	/**
	 * Response bodies are mostly read for error messages, so longer ones are cut unless the
	 * request says otherwise.
	 */
	static final int MAX_RESPONSE_BODY_BYTES = 4096;

	private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(WebClientHttpTransport.class);

	/**
	 * Reactor's per-subscription {@code onErrorDropped} hook (the key of
	 * {@code Hooks.KEY_ON_ERROR_DROPPED}). A request cancelled by a timeout, a retry deadline or
	 * {@link #close()} still fails in the JDK client afterwards; Reactor would log that at ERROR
	 * with a stack trace, although nothing is wrong and the outcome is already counted.
	 */
	private static final Context QUIET_DROPPED_ERRORS = Context.of("reactor.onErrorDropped.local",
			(Consumer<Throwable>) (ex) -> logger.debug("Langfuse request failed after it was cancelled: " + ex));

	private final String host;

	private final String publicKey;

	private final Duration timeout;

	private final String authorization;

	private final String hostOrigin;

	private final @Nullable ExecutorService executor;

	private final @Nullable HttpClient httpClient;

	private final WebClient webClient;

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Cancelled on close, so no request outlives the transport. */
	private final Set<CompletableFuture<HttpResult>> inFlight = ConcurrentHashMap.newKeySet();

	WebClientHttpTransport(WebClientHttpTransportBuilder builder) {
		this.host = builder.host;
		this.publicKey = builder.publicKey;
		this.timeout = builder.timeout;
		ClientHttpConnector connector = builder.connector;
		if (connector == null) {
			this.executor = Executors.newCachedThreadPool(new DaemonThreads());
			this.httpClient = jdkHttpClient(builder, this.executor);
			JdkClientHttpConnector jdkConnector = new JdkClientHttpConnector(this.httpClient);
			jdkConnector.setReadTimeout(builder.timeout);
			connector = jdkConnector;
		}
		else {
			this.executor = null;
			this.httpClient = null;
		}
		String credentials = builder.publicKey + ":" + builder.secretKey;
		this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
		this.hostOrigin = origin(URI.create(this.host));
		WebClient.Builder webClientBuilder = WebClient.builder()
			.clientConnector(connector)
			.baseUrl(this.host)
			.defaultHeaders((headers) -> builder.headers.forEach(headers::set))
			.defaultHeader("x-langfuse-sdk-name", builder.sdkName)
			.defaultHeader("x-langfuse-sdk-version", builder.sdkVersion)
			.defaultHeader("x-langfuse-public-key", builder.publicKey);
		if (builder.customizer != null) {
			builder.customizer.accept(webClientBuilder);
		}
		this.webClient = webClientBuilder.build();
	}

	private static HttpClient jdkHttpClient(WebClientHttpTransportBuilder builder, ExecutorService executor) {
		Duration connectTimeout = (builder.connectTimeout != null) ? builder.connectTimeout
				: min(builder.timeout, MAX_CONNECT_TIMEOUT);
		// HTTP/1.1: an h2c upgrade on plain http confuses some proxies and collectors
		HttpClient.Builder http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(connectTimeout)
			.executor(executor);
		ProxySelector proxy = (builder.proxy != null) ? builder.proxy : ProxySelector.getDefault();
		if (proxy != null) {
			http.proxy(proxy);
		}
		if (builder.sslContext != null) {
			http.sslContext(builder.sslContext);
		}
		if (builder.sslParameters != null) {
			http.sslParameters(builder.sslParameters);
		}
		return http.build();
	}

	/**
	 * Create a builder.
	 * @param host base URL of Langfuse, for example {@code https://cloud.langfuse.com}
	 * @param publicKey the project's public key
	 * @param secretKey the project's secret key
	 * @return a new builder
	 */
	public static WebClientHttpTransportBuilder builder(String host, String publicKey, String secretKey) {
		return new WebClientHttpTransportBuilder(host, publicKey, secretKey);
	}

	@Override
	public CompletableFuture<HttpResult> send(HttpRequest request) {
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new IllegalStateException("Langfuse transport is closed"));
		}
		try {
			String path = request.path();
			// a query is already encoded: the URI builder would encode it again
			URI absolute = isAbsolute(path) ? URI.create(path)
					: (path.indexOf('?') >= 0) ? URI.create(this.host + path) : null;
			// the keys go to the Langfuse host only, never to a collector or gateway elsewhere
			boolean toLangfuse = (absolute == null) || this.hostOrigin.equals(origin(absolute));
			WebClient.RequestBodySpec spec = this.webClient.method(HttpMethod.valueOf(request.method()))
				.uri((uri) -> (absolute != null) ? absolute : uri.path(path).build())
				.headers((headers) -> {
					request.headers().forEach(headers::set);
					// set last: an extra header cannot replace the keys on requests to Langfuse
					if (toLangfuse) {
						headers.set(HttpHeaders.AUTHORIZATION, this.authorization);
					}
				});
			byte[] body = request.body();
			WebClient.RequestHeadersSpec<?> ready = (body != null) ? spec.bodyValue(body) : spec;
			// responseTimeout covers the wait for headers; this also bounds connecting and the body
			int maxBodyBytes = (request.maxResponseBytes() > 0) ? request.maxResponseBytes() : MAX_RESPONSE_BODY_BYTES;
			CompletableFuture<HttpResult> future = ready.exchangeToMono((response) -> readResponse(response, maxBodyBytes))
				.timeout(this.timeout.multipliedBy(2))
				.contextWrite(QUIET_DROPPED_ERRORS)
				.toFuture();
			this.inFlight.add(future);
			future.whenComplete((result, failure) -> this.inFlight.remove(future));
			if (this.closed.get()) {
				future.cancel(true);
			}
			return future;
		}
		catch (RuntimeException | LinkageError ex) {
			// a broken classpath must not reach the caller: it shows as a failed send
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static boolean isAbsolute(String path) {
		return path.regionMatches(true, 0, "http://", 0, 7) || path.regionMatches(true, 0, "https://", 0, 8);
	}

	private static String origin(URI uri) {
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		int port = (uri.getPort() != -1) ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
		String host = (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : "";
		return scheme + "://" + host + ":" + port;
	}

	private static Mono<HttpResult> readResponse(ClientResponse response, int maxBodyBytes) {
		int status = response.statusCode().value();
		String retryAfter = response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER);
		return response.bodyToFlux(DataBuffer.class)
			.reduceWith(() -> new CappedBody(maxBodyBytes), CappedBody::append)
			.map((body) -> new HttpResult(status, retryAfter, body.toString()))
			.defaultIfEmpty(new HttpResult(status, retryAfter, ""));
	}

	/**
	 * Release the HTTP client's threads. Idempotent; later requests fail at once.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.inFlight.forEach((future) -> future.cancel(true));
			if (this.executor != null) {
				this.executor.shutdownNow();
				shutdownNow(this.httpClient);
			}
		}
	}

	// HttpClient.shutdownNow() exists from Java 21; on 17 the client's selector thread ends
	// by itself once the client is unreachable.
	private static void shutdownNow(@Nullable HttpClient client) {
		if (client == null) {
			return;
		}
		try {
			Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
			shutdownNow.invoke(client);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// Java 17, or already closed
		}
	}

	@Override
	public String target() {
		return this.host;
	}

	// Visible for testing
	boolean isClosed() {
		return this.closed.get();
	}

	@Override
	public String toString() {
		return "WebClientHttpTransport[host=" + this.host + ", publicKey=" + this.publicKey + ", timeout="
				+ this.timeout + "]";
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	/** Daemon threads for the JDK client, so a forgotten transport never keeps the JVM alive. */
	private static final class DaemonThreads implements ThreadFactory {

		private static final AtomicInteger clients = new AtomicInteger();

		private final int client = clients.incrementAndGet();

		private final AtomicInteger threads = new AtomicInteger();

		@Override
		public Thread newThread(Runnable runnable) {
			Thread thread = new Thread(runnable, "langfuse-http-" + this.client + "-" + this.threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

	/** Collects a response body up to a limit, releasing every buffer. */
	private static final class CappedBody {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final int maxBytes;

		CappedBody(int maxBytes) {
			this.maxBytes = maxBytes;
		}

		CappedBody append(DataBuffer buffer) {
			try {
				int take = Math.min(buffer.readableByteCount(), this.maxBytes - this.bytes.size());
				if (take > 0) {
					byte[] chunk = new byte[take];
					buffer.read(chunk);
					this.bytes.write(chunk, 0, take);
				}
				return this;
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}

		@Override
		public String toString() {
			return this.bytes.toString(StandardCharsets.UTF_8);
		}

	}

}
