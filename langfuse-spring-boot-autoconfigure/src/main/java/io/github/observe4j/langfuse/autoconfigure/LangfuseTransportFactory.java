package io.github.observe4j.langfuse.autoconfigure;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import io.github.observe4j.langfuse.internal.core.LangfuseVersion;
import io.github.observe4j.langfuse.internal.export.HttpTransport;
import io.github.observe4j.langfuse.internal.webclient.WebClientHttpTransport;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.StringUtils;

/**
 * Creates the HTTP transport from configuration: TLS trust from {@code langfuse.ssl.bundle}
 * (else the JVM's trust store), the proxy from {@code langfuse.proxy.*} (else the JVM's proxy
 * settings), extra headers and the {@link LangfuseWebClientCustomizer} beans. The SSL bundle is
 * resolved when the factory is made, so a missing bundle fails startup naming the property.
 */
@FunctionalInterface
interface LangfuseTransportFactory {

	/**
	 * Create a transport.
	 * @param host the Langfuse base URL
	 * @param publicKey the public key
	 * @param secretKey the secret key
	 * @return the transport
	 */
	HttpTransport create(String host, String publicKey, String secretKey);

	static LangfuseTransportFactory of(LangfuseProperties properties, @Nullable SslBundles sslBundles,
			List<LangfuseWebClientCustomizer> customizers) {
		SslBundle bundle = sslBundle(properties.getSsl().getBundle(), sslBundles);
		ProxySelector proxy = proxy(properties.getProxy());
		return (host, publicKey, secretKey) -> {
			SSLContext sslContext = (bundle != null) ? bundle.createSslContext() : null;
			return WebClientHttpTransport.builder(host, publicKey, secretKey)
				.timeout(properties.getExport().getTimeout())
				.sdk(LangfuseVersion.SDK_NAME, LangfuseVersion.version())
				.sslContext(sslContext)
				.sslParameters((bundle != null) ? sslParameters(bundle.getOptions(), sslContext) : null)
				.proxy(proxy)
				// none when there are none, so the WebClient's builder is made off the startup thread
				.customizer(customizers.isEmpty() ? null
						: (builder) -> customizers.forEach((customizer) -> customizer.customize(builder)))
				.build();
		};
	}

	private static @Nullable SslBundle sslBundle(@Nullable String name, @Nullable SslBundles sslBundles) {
		if (!StringUtils.hasText(name)) {
			return null;
		}
		if (sslBundles == null) {
			throw new IllegalStateException("langfuse.ssl.bundle is set to '" + name
					+ "' but no SSL bundles are configured: define it under spring.ssl.bundle.pem." + name
					+ " or spring.ssl.bundle.jks." + name + ", or remove langfuse.ssl.bundle");
		}
		try {
			return sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new IllegalStateException("langfuse.ssl.bundle names the SSL bundle '" + name
					+ "', which is not defined: define it under spring.ssl.bundle.pem." + name
					+ " or spring.ssl.bundle.jks." + name + ", or fix the name (" + ex.getMessage() + ")");
		}
	}

	private static @Nullable SSLParameters sslParameters(SslOptions options, @Nullable SSLContext sslContext) {
		if (sslContext == null || (options.getCiphers() == null && options.getEnabledProtocols() == null)) {
			return null;
		}
		SSLParameters parameters = sslContext.getDefaultSSLParameters();
		if (options.getCiphers() != null) {
			parameters.setCipherSuites(options.getCiphers());
		}
		if (options.getEnabledProtocols() != null) {
			parameters.setProtocols(options.getEnabledProtocols());
		}
		return parameters;
	}

	private static @Nullable ProxySelector proxy(LangfuseProperties.Proxy proxy) {
		String host = proxy.getHost();
		if (!StringUtils.hasText(host)) {
			return null;
		}
		return ProxySelector.of(InetSocketAddress.createUnresolved(host, proxy.getPort()));
	}

}
