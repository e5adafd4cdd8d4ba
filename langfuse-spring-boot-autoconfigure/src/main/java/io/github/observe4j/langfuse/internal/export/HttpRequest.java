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
 * @since 0.1.0
 */
public record HttpRequest(String method, String path, Map<String, String> headers, byte @Nullable [] body) {

	public HttpRequest {
		Objects.requireNonNull(method, "method must not be null");
		Objects.requireNonNull(path, "path must not be null");
		headers = Map.copyOf(headers);
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

	@Override
	public String toString() {
		return this.method + " " + this.path + " (" + ((this.body != null) ? this.body.length : 0) + " bytes)";
	}

}
