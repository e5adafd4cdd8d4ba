package io.github.observe4j.langfuse.internal.export;

import org.jspecify.annotations.Nullable;

/**
 * An HTTP response from the Langfuse host.
 *
 * @param status HTTP status code
 * @param retryAfter value of the {@code Retry-After} header, or {@code null}
 * @param body response body as text, possibly cut short
 * @param protobufBody the body's bytes when the response is protobuf
 * ({@code application/x-protobuf}), possibly cut short, or {@code null}
 * @since 0.1.0
 */
public record HttpResult(int status, @Nullable String retryAfter, String body, byte @Nullable [] protobufBody) {

	/**
	 * Create a result whose body is text.
	 * @param status HTTP status code
	 * @param retryAfter value of the {@code Retry-After} header, or {@code null}
	 * @param body response body as text
	 */
	public HttpResult(int status, @Nullable String retryAfter, String body) {
		this(status, retryAfter, body, null);
	}

	/**
	 * Return whether the status is 2xx.
	 * @return whether the request succeeded
	 */
	public boolean isSuccess() {
		return this.status >= 200 && this.status < 300;
	}

}
