package io.github.observe4j.langfuse.internal.webclient;

import java.net.URI;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;

/**
 * Stands in, on the {@code WebClient.Builder}, for the JDK connector that a
 * {@link WebClientHttpTransport} builds on a background thread: a builder with customizers is
 * configured before that, and a customizer's own connector still replaces this one. The
 * transport sets the real connector before its {@code WebClient} exists, so every request finds
 * it.
 */
final class DeferredConnector implements ClientHttpConnector {

	private volatile @Nullable ClientHttpConnector connector;

	void connectTo(ClientHttpConnector connector) {
		this.connector = connector;
	}

	@Override
	public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
			Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
		ClientHttpConnector connector = this.connector;
		if (connector == null) {
			return Mono.error(new IllegalStateException("Langfuse HTTP client is not built yet"));
		}
		return connector.connect(method, uri, requestCallback);
	}

}
