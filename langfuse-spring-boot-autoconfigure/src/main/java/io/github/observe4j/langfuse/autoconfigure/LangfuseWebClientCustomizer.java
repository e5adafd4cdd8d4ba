package io.github.observe4j.langfuse.autoconfigure;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Callback to customize the dedicated {@link WebClient.Builder} the Langfuse exporter uses, for
 * example to add a proxy or custom TLS. The application's own {@code WebClient.Builder} is never
 * used, so the exporter's requests are not traced or altered by application-wide customizers.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LangfuseWebClientCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder to customize
	 */
	void customize(WebClient.Builder builder);

}
