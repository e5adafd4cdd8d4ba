package io.github.observe4j.langfuse.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Details for a connection to Langfuse. Defined as a bean to connect to a Langfuse that is not
 * described by {@code langfuse.*} properties (for example one started by Testcontainers).
 *
 * @since 0.1.0
 */
public interface LangfuseConnectionDetails extends ConnectionDetails {

	/**
	 * Return the base URL of the Langfuse server.
	 * @return the host
	 */
	String getHost();

	/**
	 * Return the project's public key.
	 * @return the public key, or {@code null} if not configured
	 */
	@Nullable String getPublicKey();

	/**
	 * Return the project's secret key.
	 * @return the secret key, or {@code null} if not configured
	 */
	@Nullable String getSecretKey();

}
