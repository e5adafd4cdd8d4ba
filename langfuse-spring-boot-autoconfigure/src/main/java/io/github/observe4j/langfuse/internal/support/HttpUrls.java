package io.github.observe4j.langfuse.internal.support;

import java.net.URI;
import java.net.URISyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * The one check and normal form of the URLs users configure (the Langfuse host, a traces
 * endpoint): absolute {@code http} or {@code https} with a host, scheme in any case, no query or
 * fragment, trailing slashes removed.
 */
public final class HttpUrls {

	private HttpUrls() {
	}

	/**
	 * Say what is wrong with a configured URL.
	 * @param url the URL as configured
	 * @param example a valid URL to suggest
	 * @return the problem, such as {@code "must be an absolute http or https URL such as ..."},
	 * or {@code null} if the URL is fine
	 */
	public static @Nullable String problem(String url, String example) {
		if (mayCarryCredentials(url)) {
			return "must not contain '@': a user name or password does not belong in the URL, which shows in"
					+ " logs and health";
		}
		try {
			URI uri = new URI(url.trim());
			String scheme = uri.getScheme();
			if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
				return "must be an absolute http or https URL such as " + example;
			}
			if (uri.getHost() == null) {
				// java.net.URI, and so the JDK's HTTP client, takes no host name with '_' in it
				return (uri.getRawAuthority() != null && uri.getRawAuthority().indexOf('_') >= 0)
						? "has a host name with '_', which Java's HTTP client cannot connect to; use a name"
								+ " with '-' instead (a Docker Compose service alias, say) or the address"
						: "must be an absolute http or https URL such as " + example;
			}
			if (uri.getQuery() != null || uri.getFragment() != null) {
				return "must not have a query or fragment; use a URL such as " + example;
			}
			return null;
		}
		catch (URISyntaxException ex) {
			return "is not a valid URL (" + ex.getReason() + "); use a URL such as " + example;
		}
	}

	/**
	 * Return whether a URL may carry a user name or password: an {@code '@'} anywhere after its
	 * scheme, judged on the text, since a password with a {@code '/'} or a {@code '%'} in it
	 * leaves {@link URI} no user info to find. Messages about such a URL must not repeat it.
	 * @param url the URL as configured
	 * @return {@code true} if it has an {@code '@'} after {@code "://"} (or anywhere, without one)
	 */
	public static boolean mayCarryCredentials(String url) {
		int scheme = url.indexOf("://");
		return url.indexOf('@', (scheme >= 0) ? scheme + 3 : 0) >= 0;
	}

	/**
	 * Return a configured base URL without surrounding blanks and trailing slashes.
	 * @param url the URL
	 * @return the normal form
	 */
	public static String withoutTrailingSlash(String url) {
		String trimmed = url.trim();
		int end = trimmed.length();
		while (end > 0 && trimmed.charAt(end - 1) == '/') {
			end--;
		}
		return trimmed.substring(0, end);
	}

	/**
	 * Check a Langfuse host and return its normal form.
	 * @param host the host URL
	 * @return the host without trailing slashes
	 * @throws IllegalArgumentException naming the problem if it is not a usable URL
	 */
	public static String requireHost(String host) {
		String normalized = withoutTrailingSlash(host);
		String problem = problem(normalized, "https://cloud.langfuse.com");
		if (problem != null) {
			throw new IllegalArgumentException("Langfuse host " + problem
					+ (mayCarryCredentials(normalized) ? "" : ", was '" + normalized + "'"));
		}
		return normalized;
	}

}
