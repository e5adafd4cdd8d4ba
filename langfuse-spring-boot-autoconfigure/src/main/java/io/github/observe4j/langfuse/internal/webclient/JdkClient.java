package io.github.observe4j.langfuse.internal.webclient;

import java.lang.reflect.Method;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.jspecify.annotations.Nullable;

import org.springframework.http.client.reactive.JdkClientHttpConnector;

/**
 * The JDK {@link HttpClient} of a {@link WebClientHttpTransport}, its daemon threads and the
 * WebFlux connector over it. Creating one is the expensive part of building a transport (the
 * JVM's TLS context and trust store, the client's classes and its selector thread), which is
 * why the transport does it on a background thread.
 */
final class JdkClient {

	private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private final ExecutorService executor;

	private final HttpClient httpClient;

	private final JdkClientHttpConnector connector;

	private JdkClient(ExecutorService executor, HttpClient httpClient, JdkClientHttpConnector connector) {
		this.executor = executor;
		this.httpClient = httpClient;
		this.connector = connector;
	}

	static JdkClient create(Settings settings) {
		ExecutorService executor = Executors.newCachedThreadPool(new DaemonThreads());
		try {
			HttpClient httpClient = httpClient(settings, executor);
			JdkClientHttpConnector connector = new JdkClientHttpConnector(httpClient);
			connector.setReadTimeout(settings.timeout());
			return new JdkClient(executor, httpClient, connector);
		}
		catch (RuntimeException | Error ex) {
			executor.shutdownNow();
			throw ex;
		}
	}

	private static HttpClient httpClient(Settings settings, ExecutorService executor) {
		Duration connectTimeout = (settings.connectTimeout() != null) ? settings.connectTimeout()
				: min(settings.timeout(), MAX_CONNECT_TIMEOUT);
		// HTTP/1.1: an h2c upgrade on plain http confuses some proxies and collectors
		HttpClient.Builder http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(connectTimeout)
			.executor(executor);
		ProxySelector proxy = (settings.proxy() != null) ? settings.proxy() : ProxySelector.getDefault();
		if (proxy != null) {
			http.proxy(proxy);
		}
		if (settings.sslContext() != null) {
			http.sslContext(settings.sslContext());
		}
		if (settings.sslParameters() != null) {
			http.sslParameters(settings.sslParameters());
		}
		return http.build();
	}

	JdkClientHttpConnector connector() {
		return this.connector;
	}

	/**
	 * Release the client's threads.
	 */
	void shutdown() {
		this.executor.shutdownNow();
		shutdownNow(this.httpClient);
	}

	// HttpClient.shutdownNow() exists from Java 21; on 17 the client's selector thread ends
	// by itself once the client is unreachable.
	private static void shutdownNow(HttpClient client) {
		try {
			Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
			shutdownNow.invoke(client);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// Java 17, or already closed
		}
	}

	boolean isShutDown() {
		return this.executor.isShutdown();
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

	/**
	 * What the client is built from, copied from the transport's builder where the transport is
	 * made, so that a builder changed or reused afterwards cannot reach a client still being built.
	 *
	 * @param timeout the request timeout
	 * @param connectTimeout the connect timeout, or {@code null} for the default
	 * @param proxy the proxy selector, or {@code null} for the JVM's
	 * @param sslContext the TLS context, or {@code null} for the JVM's
	 * @param sslParameters the TLS parameters, or {@code null} for the context's
	 */
	record Settings(Duration timeout, @Nullable Duration connectTimeout, @Nullable ProxySelector proxy,
			@Nullable SSLContext sslContext, @Nullable SSLParameters sslParameters) {

		static Settings of(WebClientHttpTransportBuilder builder) {
			return new Settings(builder.timeout, builder.connectTimeout, builder.proxy, builder.sslContext,
					builder.sslParameters);
		}

	}

}
