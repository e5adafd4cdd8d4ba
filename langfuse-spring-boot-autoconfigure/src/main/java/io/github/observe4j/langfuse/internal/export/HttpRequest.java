package io.github.observe4j.langfuse.internal.export;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An HTTP request to the Langfuse host.
 *
 * @param method HTTP method
 * @param path path relative to the host, starting with {@code /}
 * @param headers extra headers (authentication and SDK headers are added by the transport)
 * @param body request body, or {@code null} for none
 * @param maxResponseBytes most bytes of the response body to read, or {@code 0} for the
 * transport's default, which is only enough for error messages
 * @since 0.1.0
 */
public record HttpRequest(String method, String path, Map<String, String> headers, byte @Nullable [] body,
		int maxResponseBytes) {

	public HttpRequest {
		Objects.requireNonNull(method, "method must not be null");
		Objects.requireNonNull(path, "path must not be null");
		headers = Map.copyOf(headers);
		if (maxResponseBytes < 0) {
			throw new IllegalArgumentException("maxResponseBytes must not be negative");
		}
	}

	/**
	 * Create a request that reads the transport's default share of the response body.
	 * @param method HTTP method
	 * @param path path relative to the host, starting with {@code /}
	 * @param headers extra headers
	 * @param body request body, or {@code null} for none
	 */
	public HttpRequest(String method, String path, Map<String, String> headers, byte @Nullable [] body) {
		this(method, path, headers, body, 0);
	}

	/**
	 * Create a GET request.
	 * @param path the path
	 * @return the request
	 */
	public static HttpRequest get(String path) {
		return new HttpRequest("GET", path, Map.of(), null);
	}

	/**
	 * Create a POST request.
	 * @param path the path
	 * @param headers extra headers, such as {@code Content-Type}
	 * @param body the body
	 * @return the request
	 */
	public static HttpRequest post(String path, Map<String, String> headers, byte[] body) {
		return new HttpRequest("POST", path, headers, body);
	}

	/**
	 * Return a copy that reads up to the given number of bytes of the response body, for a
	 * response whose body is the answer rather than an error message.
	 * @param maxResponseBytes the limit
	 * @return a new request
	 */
	public HttpRequest withMaxResponseBytes(int maxResponseBytes) {
		return new HttpRequest(this.method, this.path, this.headers, this.body, maxResponseBytes);
	}

	@Override
	public String toString() {
		return this.method + " " + this.path + " (" + ((this.body != null) ? this.body.length : 0) + " bytes)";
	}

}
