package io.github.observe4j.langfuse.webclient;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.github.observe4j.langfuse.export.HttpRequest;
import io.github.observe4j.langfuse.export.HttpResult;
import io.github.observe4j.langfuse.export.HttpTransport;
import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@link HttpTransport} on a dedicated WebFlux {@link WebClient} over Reactor Netty. The client is
 * built from a fresh {@link WebClient#builder()}, never from the application's shared builder,
 * whose observation customizer would make every export trace itself. It has its own connection
 * pool, released by {@link #close()}, and adds Basic authentication and the Langfuse SDK headers
 * to every request. Nothing blocks: {@link #send} returns at once.
 *
 * @since 0.1.0
 */
public final class WebClientHttpTransport implements HttpTransport {

	/** Default timeout for a whole request. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/** Default SDK name sent in {@code x-langfuse-sdk-name}. */
	public static final String DEFAULT_SDK_NAME = "langfuse-spring-boot-starter";

	/** Response bodies are only read for error messages, so longer ones are cut. */
	static final int MAX_RESPONSE_BODY_BYTES = 4096;

	private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private final String host;

	private final String publicKey;

	private final Duration timeout;

	private final ConnectionProvider connectionProvider;

	private final WebClient webClient;

	private final AtomicBoolean closed = new AtomicBoolean();

	private WebClientHttpTransport(Builder builder) {
		this.host = builder.host;
		this.publicKey = builder.publicKey;
		this.timeout = builder.timeout;
		Duration connectTimeout = (builder.connectTimeout != null) ? builder.connectTimeout
				: min(builder.timeout, MAX_CONNECT_TIMEOUT);
		this.connectionProvider = ConnectionProvider.builder("langfuse-export")
			.maxConnections(builder.maxConnections)
			.pendingAcquireTimeout(builder.timeout)
			// Load balancers drop idle connections; do not keep them long enough to find out
			.maxIdleTime(Duration.ofSeconds(30))
			.build();
		HttpClient httpClient = HttpClient.create(this.connectionProvider)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, connectTimeout.toMillis()))
			.responseTimeout(builder.timeout);
		String credentials = builder.publicKey + ":" + builder.secretKey;
		WebClient.Builder webClientBuilder = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(httpClient))
			.baseUrl(this.host)
			.defaultHeader(HttpHeaders.AUTHORIZATION,
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
			.defaultHeader("x-langfuse-sdk-name", builder.sdkName)
			.defaultHeader("x-langfuse-sdk-version", builder.sdkVersion)
			.defaultHeader("x-langfuse-public-key", builder.publicKey);
		if (builder.customizer != null) {
			builder.customizer.accept(webClientBuilder);
		}
		this.webClient = webClientBuilder.build();
	}

	/**
	 * Create a builder.
	 * @param host base URL of Langfuse, for example {@code https://cloud.langfuse.com}
	 * @param publicKey the project's public key
	 * @param secretKey the project's secret key
	 * @return a new builder
	 */
	public static Builder builder(String host, String publicKey, String secretKey) {
		return new Builder(host, publicKey, secretKey);
	}

	@Override
	public CompletableFuture<HttpResult> send(HttpRequest request) {
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new IllegalStateException("Langfuse transport is closed"));
		}
		try {
			WebClient.RequestBodySpec spec = this.webClient.method(HttpMethod.valueOf(request.method()))
				.uri((uri) -> uri.path(request.path()).build())
				.headers((headers) -> request.headers().forEach(headers::set));
			byte[] body = request.body();
			WebClient.RequestHeadersSpec<?> ready = (body != null) ? spec.bodyValue(body) : spec;
			// responseTimeout covers the wait for headers; this also bounds connecting and the body
			return ready.exchangeToMono(WebClientHttpTransport::readResponse)
				.timeout(this.timeout.multipliedBy(2))
				.toFuture();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static Mono<HttpResult> readResponse(ClientResponse response) {
		int status = response.statusCode().value();
		String retryAfter = response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER);
		return response.bodyToFlux(DataBuffer.class)
			.reduceWith(CappedBody::new, CappedBody::append)
			.map((body) -> new HttpResult(status, retryAfter, body.toString()))
			.defaultIfEmpty(new HttpResult(status, retryAfter, ""));
	}

	/**
	 * Release the connection pool. Idempotent; later requests fail at once.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			try {
				this.connectionProvider.disposeLater().block(Duration.ofSeconds(5));
			}
			catch (RuntimeException ex) {
				// For example when called on a non-blocking thread: dispose in the background
				this.connectionProvider.disposeLater().subscribe();
			}
		}
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

	/** Collects a response body up to {@link #MAX_RESPONSE_BODY_BYTES}, releasing every buffer. */
	private static final class CappedBody {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		CappedBody append(DataBuffer buffer) {
			try {
				int take = Math.min(buffer.readableByteCount(), MAX_RESPONSE_BODY_BYTES - this.bytes.size());
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

	/**
	 * Builder for a {@link WebClientHttpTransport}.
	 */
	public static final class Builder {

		private final String host;

		private final String publicKey;

		private final String secretKey;

		private Duration timeout = DEFAULT_TIMEOUT;

		private @Nullable Duration connectTimeout;

		private int maxConnections = 4;

		private String sdkName = DEFAULT_SDK_NAME;

		private String sdkVersion = defaultSdkVersion();

		private @Nullable Consumer<WebClient.Builder> customizer;

		private Builder(String host, String publicKey, String secretKey) {
			Objects.requireNonNull(host, "host must not be null");
			Objects.requireNonNull(publicKey, "publicKey must not be null");
			Objects.requireNonNull(secretKey, "secretKey must not be null");
			this.host = normalizeHost(host);
			this.publicKey = publicKey;
			this.secretKey = secretKey;
		}

		/**
		 * Set the timeout of one request: the wait for the response after sending, and twice it
		 * for the whole exchange.
		 * @param timeout the timeout, positive
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = requirePositive(timeout, "timeout");
			return this;
		}

		/**
		 * Set the connect timeout; by default the request timeout, at most 10 seconds.
		 * @param connectTimeout the connect timeout, positive
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = requirePositive(connectTimeout, "connectTimeout");
			return this;
		}

		/**
		 * Set the maximum number of pooled connections.
		 * @param maxConnections the maximum, positive
		 * @return this builder
		 */
		public Builder maxConnections(int maxConnections) {
			if (maxConnections <= 0) {
				throw new IllegalArgumentException("maxConnections must be positive, was " + maxConnections);
			}
			this.maxConnections = maxConnections;
			return this;
		}

		/**
		 * Set the SDK name and version sent in the {@code x-langfuse-sdk-*} headers.
		 * @param name the SDK name
		 * @param version the SDK version
		 * @return this builder
		 */
		public Builder sdk(String name, String version) {
			this.sdkName = Objects.requireNonNull(name, "name must not be null");
			this.sdkVersion = Objects.requireNonNull(version, "version must not be null");
			return this;
		}

		/**
		 * Set a callback that can customize the dedicated {@link WebClient.Builder} after this
		 * transport has configured it, for example to add a proxy or filters.
		 * @param customizer the customizer, or {@code null} for none
		 * @return this builder
		 */
		public Builder customizer(@Nullable Consumer<WebClient.Builder> customizer) {
			this.customizer = customizer;
			return this;
		}

		/**
		 * Build the transport.
		 * @return a new transport; close it to release its connections
		 */
		public WebClientHttpTransport build() {
			return new WebClientHttpTransport(this);
		}

		private static String normalizeHost(String host) {
			String trimmed = host.trim();
			while (trimmed.endsWith("/")) {
				trimmed = trimmed.substring(0, trimmed.length() - 1);
			}
			try {
				URI uri = new URI(trimmed);
				String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
				if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
					throw new IllegalArgumentException(
							"Langfuse host must be an http or https URL such as https://cloud.langfuse.com, was '"
									+ trimmed + "'");
				}
			}
			catch (URISyntaxException ex) {
				throw new IllegalArgumentException("Langfuse host is not a valid URL: '" + trimmed + "'", ex);
			}
			return trimmed;
		}

		private static Duration requirePositive(Duration value, String name) {
			Objects.requireNonNull(value, name + " must not be null");
			if (value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException(name + " must be positive, was " + value);
			}
			return value;
		}

		private static String defaultSdkVersion() {
			String version = WebClientHttpTransport.class.getPackage().getImplementationVersion();
			return (version != null) ? version : "unknown";
		}

	}

}
