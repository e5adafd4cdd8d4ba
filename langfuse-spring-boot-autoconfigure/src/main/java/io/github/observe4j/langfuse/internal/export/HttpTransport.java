package io.github.observe4j.langfuse.internal.export;

import java.util.concurrent.CompletableFuture;

/**
 * Sends HTTP requests to the Langfuse host. Implementations add the base URL, Basic
 * authentication and the SDK headers, and apply the request timeout. They never throw: a failure
 * to get an HTTP response completes the future exceptionally.
 *
 * @since 0.1.0
 */
public interface HttpTransport extends AutoCloseable {

	/**
	 * Send a request.
	 * @param request the request; its path is relative to the host
	 * @return the response, or an exceptionally completed future on a network error or timeout
	 */
	CompletableFuture<HttpResult> send(HttpRequest request);

	/**
	 * Return whether a request to the path carries Langfuse's keys, so that its answer says
	 * something about them: a path on the Langfuse host does, a URL elsewhere (a collector) does
	 * not.
	 * @param path a path relative to the host, or a full URL
	 * @return whether requests to it are sent with the keys
	 */
	default boolean sendsKeysTo(String path) {
		return true;
	}

	/**
	 * Describe where requests go, for log messages, without credentials.
	 * @return for example {@code https://cloud.langfuse.com}
	 */
	default String target() {
		return "the configured host";
	}

	/**
	 * Release the transport's resources. Idempotent.
	 */
	@Override
	default void close() {
	}

}
