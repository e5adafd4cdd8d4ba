package io.github.observe4j.langfuse.internal.webclient;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import io.github.observe4j.langfuse.internal.support.HttpUrls;
import io.github.observe4j.langfuse.internal.core.LangfuseVersion;
import org.jspecify.annotations.Nullable;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Builder for a {@link WebClientHttpTransport}, made by
 * {@link WebClientHttpTransport#builder(String, String, String)}. Its fields are read by the
 * transport's constructor.
 */
public final class WebClientHttpTransportBuilder {

	final String host;

	final String publicKey;

	final String secretKey;

	Duration timeout = WebClientHttpTransport.DEFAULT_TIMEOUT;

	@Nullable Duration connectTimeout;

	@Nullable SSLContext sslContext;

	@Nullable SSLParameters sslParameters;

	@Nullable ProxySelector proxy;

	final Map<String, String> headers = new LinkedHashMap<>();

	@Nullable ClientHttpConnector connector;

	String sdkName = WebClientHttpTransport.DEFAULT_SDK_NAME;

	String sdkVersion = LangfuseVersion.version();

	@Nullable Consumer<WebClient.Builder> customizer;

	WebClientHttpTransportBuilder(String host, String publicKey, String secretKey) {
		Objects.requireNonNull(host, "host must not be null");
		Objects.requireNonNull(publicKey, "publicKey must not be null");
		Objects.requireNonNull(secretKey, "secretKey must not be null");
		this.host = HttpUrls.requireHost(host);
		this.publicKey = publicKey;
		this.secretKey = secretKey;
	}

	/**
	 * Set the timeout of one request: the wait for the response after sending, and twice it
	 * for the whole exchange.
	 * @param timeout the timeout, positive
	 * @return this builder
	 */
	public WebClientHttpTransportBuilder timeout(Duration timeout) {
		this.timeout = requirePositive(timeout, "timeout");
		return this;
	}

	/**
	 * Set the connect timeout; by default the request timeout, at most 10 seconds.
	 * @param connectTimeout the connect timeout, positive
	 * @return this builder
	 */
	public WebClientHttpTransportBuilder connectTimeout(Duration connectTimeout) {
		this.connectTimeout = requirePositive(connectTimeout, "connectTimeout");
		return this;
	}

	/**
	 * Set the TLS context that decides which servers are trusted; by default the JVM's
	 * ({@code javax.net.ssl.trustStore} or the JDK's CA certificates).
	 * @param sslContext the context, or {@code null} for the JVM's default
	 * @return this builder
	 */
	public WebClientHttpTransportBuilder sslContext(@Nullable SSLContext sslContext) {
		this.sslContext = sslContext;
		return this;
	}

	/**
	 * Set the TLS parameters, for example enabled protocols and cipher suites.
	 * @param sslParameters the parameters, or {@code null} for the context's defaults
	 * @return this builder
	 */
	public WebClientHttpTransportBuilder sslParameters(@Nullable SSLParameters sslParameters) {
		this.sslParameters = sslParameters;
		return this;
	}

	/**
	 * Set the proxy selector; by default the JVM's, which follows the {@code http.proxyHost},
	 * {@code https.proxyHost} and {@code http.nonProxyHosts} system properties.
	 * @param proxy the proxy selector, or {@code null} for the JVM's
	 * @return this builder
	 */
	public WebClientHttpTransportBuilder proxy(@Nullable ProxySelector proxy) {
		this.proxy = proxy;
		return this;
	}

	/**
	 * Add headers sent with every request, for example those a gateway in front of Langfuse
	 * requires. (For headers meant only for a traces endpoint elsewhere, give them to the
	 * exporter instead.)
	 * @param headers the headers
	 * @return this builder
	 */
	public WebClientHttpTransportBuilder headers(Map<String, String> headers) {
		Objects.requireNonNull(headers, "headers must not be null");
		this.headers.putAll(headers);
		return this;
	}

	/**
	 * Use the given connector instead of the JDK {@link HttpClient}; the TLS, proxy and
	 * connect timeout settings of this builder then do not apply, and the connector's
	 * resources are the caller's to release.
	 * @param connector the connector, or {@code null} for the JDK client
	 * @return this builder
	 */
	public WebClientHttpTransportBuilder connector(@Nullable ClientHttpConnector connector) {
		this.connector = connector;
		return this;
	}

	/**
	 * Set the SDK name and version sent in the {@code x-langfuse-sdk-*} headers.
	 * @param name the SDK name
	 * @param version the SDK version
	 * @return this builder
	 */
	public WebClientHttpTransportBuilder sdk(String name, String version) {
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
	public WebClientHttpTransportBuilder customizer(@Nullable Consumer<WebClient.Builder> customizer) {
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

	private static Duration requirePositive(Duration value, String name) {
		Objects.requireNonNull(value, name + " must not be null");
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + value);
		}
		return value;
	}

}
