package io.github.observe4j.langfuse.internal.webclient;

import java.io.ByteArrayOutputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import io.github.observe4j.langfuse.internal.export.HttpRequest;
import io.github.observe4j.langfuse.internal.export.HttpResult;
import io.github.observe4j.langfuse.internal.export.HttpTransport;
import io.github.observe4j.langfuse.internal.core.LangfuseVersion;
import io.github.observe4j.langfuse.internal.support.Failures;
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
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@link HttpTransport} on a dedicated WebFlux {@link WebClient}, by default over the JDK's
 * {@link HttpClient} (HTTP/1.1, TLS through the given {@link SSLContext} or the JVM's default
 * trust store, proxies through a {@link ProxySelector}), so an application needs no Netty for
 * it. The client is built from a fresh {@link WebClient#builder()}, never from the application's
 * shared builder, whose observation customizer would make every export trace itself. A
 * customizer is applied where the transport is made (without one, the builder is made with the
 * client), while the JDK client and the {@code WebClient} are built on a daemon thread once the
 * first request is sent, so that making a transport costs its caller little (requests sent
 * before they are ready wait for them, without blocking); a failure there fails every request
 * and is logged once. It has its own daemon threads, released by {@link #close()}, and adds Basic
 * authentication, the Langfuse SDK headers and any extra headers to every request. Nothing
 * blocks: {@link #send} returns at once. A request path may also be a full {@code http(s)://}
 * URL, for a traces endpoint that is not on the Langfuse host. A path with a query is sent as
 * it is (already encoded). Response bodies are read up to {@link #MAX_RESPONSE_BODY_BYTES}
 * unless the request asks for more.
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

	private static final AtomicInteger builds = new AtomicInteger();

	/** The JDK client, once built; {@code null} with a connector of the caller's or if the build failed. */
	private final CompletableFuture<@Nullable JdkClient> jdkClient = new CompletableFuture<>();

	/** Completed by the background build, exceptionally if it failed. */
	private final CompletableFuture<WebClient> webClient = new CompletableFuture<>();

	private final Object waitingLock = new Object();

	/** The last request waiting for the build, so that they are sent in order; guarded by the lock. */
	private volatile CompletableFuture<?> lastWaiting = this.webClient;

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Builds the JDK client and the WebClient, once {@link #prepare()} or the first request asks. */
	private final Runnable build;

	private final AtomicBoolean buildStarted = new AtomicBoolean();

	/** Cancelled on close, so no request outlives the transport. */
	private final Set<CompletableFuture<HttpResult>> inFlight = ConcurrentHashMap.newKeySet();

	WebClientHttpTransport(WebClientHttpTransportBuilder builder) {
		this.host = builder.host;
		this.publicKey = builder.publicKey;
		this.timeout = builder.timeout;
		String credentials = builder.publicKey + ":" + builder.secretKey;
		this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
		this.hostOrigin = origin(URI.create(this.host));
		DeferredConnector deferred = (builder.connector != null) ? null : new DeferredConnector();
		ClientHttpConnector connector = (deferred != null) ? deferred : builder.connector;
		// copied: the transport's builder may be changed and reused after this
		Map<String, String> extraHeaders = new LinkedHashMap<>(builder.headers);
		String sdkName = builder.sdkName;
		String sdkVersion = builder.sdkVersion;
		JdkClient.Settings clientSettings = JdkClient.Settings.of(builder);
		Consumer<WebClient.Builder> customizer = builder.customizer;
		if (customizer != null) {
			// the application's code, so that its failure fails the build where the transport is made
			WebClient.Builder webClientBuilder = webClientBuilder(connector, extraHeaders, sdkName, sdkVersion);
			customizer.accept(webClientBuilder);
			this.build = () -> build(clientSettings, deferred, () -> webClientBuilder);
		}
		else {
			// without one, the builder (and the web client classes it loads) waits for the build
			this.build = () -> build(clientSettings, deferred,
					() -> webClientBuilder(connector, extraHeaders, sdkName, sdkVersion));
		}
	}

	/**
	 * A fresh builder with the connector, the host and the default headers: the extra headers
	 * first, then the SDK's, each replacing one of the same name in any case.
	 */
	private WebClient.Builder webClientBuilder(ClientHttpConnector connector, Map<String, String> extraHeaders,
			String sdkName, String sdkVersion) {
		return WebClient.builder()
			.clientConnector(connector)
			.baseUrl(this.host)
			.defaultHeaders((headers) -> extraHeaders.forEach(headers::set))
			.defaultHeader("x-langfuse-sdk-name", sdkName)
			.defaultHeader("x-langfuse-sdk-version", sdkVersion)
			.defaultHeader("x-langfuse-public-key", this.publicKey);
	}

	/**
	 * Start building the client in the background, if that has not started yet; the first
	 * request does it (and tests call this to begin a build without a request). Not done when
	 * the transport is made: the build loads over a thousand classes, and on a small machine that
	 * slows down the rest of the application's startup, which does not need the client.
	 */
	void prepare() {
		// a closed transport builds nothing: its client would only be shut down again
		if (!this.closed.get() && this.buildStarted.compareAndSet(false, true)) {
			buildInBackground(this.build);
		}
	}

	/**
	 * Build the JDK client and the WebClient, the expensive part (hundreds of milliseconds in a
	 * fresh JVM, mostly class loading and the JVM's TLS context), so that it does not hold up
	 * the application's startup; requests sent meanwhile wait for it without blocking.
	 */
	private void build(JdkClient.Settings clientSettings, @Nullable DeferredConnector deferred,
			Supplier<WebClient.Builder> webClientBuilderSupplier) {
		try {
			// made here, inside the try, when no customizer made it with the transport
			WebClient.Builder webClientBuilder = webClientBuilderSupplier.get();
			JdkClient jdkClient = null;
			if (deferred != null) {
				jdkClient = JdkClient.create(clientSettings);
				deferred.connectTo(jdkClient.connector());
			}
			this.jdkClient.complete(jdkClient);
			this.webClient.complete(webClientBuilder.build());
		}
		catch (Throwable ex) {
			// said first, before the requests waiting for the client report their failures
			logger.warn("Langfuse's HTTP client could not be created (" + Failures.describe(ex) + "): nothing is"
					+ " sent to Langfuse. Check that spring-webflux and reactor-core match your Spring Boot version"
					+ " (mvn dependency:tree); the application runs without sending traces.");
			this.jdkClient.complete(null);
			this.webClient.completeExceptionally(ex);
			Failures.rethrowIfFatal(ex);
		}
	}

	private static void buildInBackground(Runnable build) {
		try {
			Thread thread = new Thread(build, "langfuse-http-init-" + builds.incrementAndGet());
			thread.setDaemon(true);
			thread.start();
		}
		catch (RuntimeException | OutOfMemoryError ex) {
			// no thread to be had: build here, as before
			build.run();
		}
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
		prepare();
		if (isBuilt()) {
			return exchange(this.webClient.join(), request);
		}
		CompletableFuture<HttpResult> result = new CompletableFuture<>();
		// a request given up on (cancelled by the caller's backstop, or by close) is not kept, with
		// its body, until the build ends: a build that never ends would keep one per retry
		AtomicReference<@Nullable HttpRequest> pending = new AtomicReference<>(request);
		result.whenComplete((response, failure) -> pending.set(null));
		synchronized (this.waitingLock) {
			if (!isBuilt()) {
				// still being built: requests go once it is, from the building thread, in the order sent
				this.lastWaiting = this.lastWaiting.whenComplete((ignored, failure) -> this.webClient
					.whenComplete((webClient, buildFailure) -> {
						HttpRequest waiting = pending.get();
						if (waiting != null) {
							sendWhenBuilt(webClient, buildFailure, waiting, result);
						}
					}));
				return track(result);
			}
		}
		return exchange(this.webClient.join(), request);
	}

	/** Whether the client is built and no request is still waiting for it. */
	private boolean isBuilt() {
		return this.lastWaiting.isDone() && this.webClient.isDone() && !this.webClient.isCompletedExceptionally();
	}

	private void sendWhenBuilt(@Nullable WebClient webClient, @Nullable Throwable buildFailure, HttpRequest request,
			CompletableFuture<HttpResult> result) {
		if (result.isDone()) {
			// cancelled meanwhile, for example by close()
			return;
		}
		CompletableFuture<HttpResult> sent = (webClient != null) ? exchange(webClient, request)
				: CompletableFuture.failedFuture(buildFailure);
		sent.whenComplete((response, failure) -> {
			if (failure != null) {
				result.completeExceptionally(failure);
			}
			else {
				result.complete(response);
			}
		});
		result.whenComplete((response, failure) -> sent.cancel(true));
	}

	private CompletableFuture<HttpResult> exchange(WebClient webClient, HttpRequest request) {
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new IllegalStateException("Langfuse transport is closed"));
		}
		try {
			String path = request.path();
			// a query is already encoded: the URI builder would encode it again
			URI absolute = isAbsolute(path) ? URI.create(path)
					: (path.indexOf('?') >= 0) ? URI.create(this.host + path) : null;
			boolean toLangfuse = (absolute == null) || sendsKeysTo(absolute);
			WebClient.RequestBodySpec spec = webClient.method(HttpMethod.valueOf(request.method()))
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
			return track(ready.exchangeToMono((response) -> readResponse(response, maxBodyBytes))
				.timeout(this.timeout.multipliedBy(2))
				.onErrorMap(WebClientHttpTransport::withoutHeaderValue)
				.contextWrite(QUIET_DROPPED_ERRORS)
				.toFuture());
		}
		catch (RuntimeException | LinkageError ex) {
			// a broken classpath must not reach the caller: it shows as a failed send
			return CompletableFuture.failedFuture(withoutHeaderValue(ex));
		}
	}

	/**
	 * The JDK client refuses a header value it cannot carry with the value in its message, which
	 * would reach the log, health and the endpoint: the value may be a credential.
	 */
	private static Throwable withoutHeaderValue(Throwable failure) {
		if (!Failures.anyCause(failure, WebClientHttpTransport::isRefusedHeader)) {
			return failure;
		}
		// replaced with no cause: the exceptions wrapping the JDK's repeat its message
		return new IllegalArgumentException("The HTTP client refused a request header (its value is not shown: it"
				+ " may be a credential); check langfuse.export.headers and any LangfuseWebClientCustomizer");
	}

	private static boolean isRefusedHeader(Throwable failure) {
		String message = failure.getMessage();
		return failure instanceof IllegalArgumentException && message != null && message.startsWith("invalid header");
	}

	/** Remember the request until it completes, so that {@link #close()} can cancel it. */
	private CompletableFuture<HttpResult> track(CompletableFuture<HttpResult> future) {
		this.inFlight.add(future);
		future.whenComplete((result, failure) -> this.inFlight.remove(future));
		if (this.closed.get()) {
			future.cancel(true);
		}
		return future;
	}

	/** The keys go to the Langfuse host only, never to a collector or gateway elsewhere. */
	@Override
	public boolean sendsKeysTo(String path) {
		if (!isAbsolute(path)) {
			return true;
		}
		try {
			return sendsKeysTo(URI.create(path));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private boolean sendsKeysTo(URI absolute) {
		return this.hostOrigin.equals(origin(absolute));
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
		// an OTLP server answers protobuf, whose partial success the exporter reads from the bytes
		boolean protobuf = response.headers()
			.contentType()
			.filter((type) -> "application".equals(type.getType()) && "x-protobuf".equals(type.getSubtype()))
			.isPresent();
		return response.bodyToFlux(DataBuffer.class)
			.reduceWith(() -> new CappedBody(maxBodyBytes), CappedBody::append)
			.map((body) -> new HttpResult(status, retryAfter, body.toString(), protobuf ? body.bytes() : null))
			.defaultIfEmpty(new HttpResult(status, retryAfter, ""));
	}

	/**
	 * Release the HTTP client's threads, once it is built if that is still under way.
	 * Idempotent; later requests fail at once.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.inFlight.forEach((future) -> future.cancel(true));
			this.jdkClient.whenComplete((jdkClient, failure) -> {
				if (jdkClient != null) {
					jdkClient.shutdown();
				}
			});
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

	// Visible for testing: whether the client's build has begun
	boolean isBuildStarted() {
		return this.buildStarted.get();
	}

	// Visible for testing: whether the JDK client was built and then released
	boolean isJdkClientShutDown() {
		JdkClient jdkClient = this.jdkClient.getNow(null);
		return (jdkClient != null) && jdkClient.isShutDown();
	}

	@Override
	public String toString() {
		return "WebClientHttpTransport[host=" + this.host + ", publicKey=" + this.publicKey + ", timeout="
				+ this.timeout + "]";
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

		byte[] bytes() {
			return this.bytes.toByteArray();
		}

		@Override
		public String toString() {
			return this.bytes.toString(StandardCharsets.UTF_8);
		}

	}

}
