package io.github.observe4j.langfuse.internal.export;

import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Map;
import java.util.Set;

import io.github.observe4j.langfuse.internal.support.Failures;

/**
 * Turns Langfuse responses into short log and health messages, and words the warnings that
 * tell users how to fix a rejected configuration.
 */
final class ServerMessages {

	// by name: the certificate path classes are internal to the JDK
	private static final Set<String> UNTRUSTED_CERTIFICATE_TYPES = Set.of(
			"javax.net.ssl.SSLHandshakeException", "sun.security.provider.certpath.SunCertPathBuilderException",
			"java.security.cert.CertPathValidatorException", "java.security.cert.CertificateException");

	private static final int MAX_BODY_CHARS = 200;

	private ServerMessages() {
	}

	/**
	 * Describe a response as {@code "HTTP <status>: <server message>"}.
	 * @param result the response
	 * @return the description
	 */
	static String describe(HttpResult result) {
		String message = serverMessage(result.body());
		return "HTTP " + result.status() + (message.isEmpty() ? "" : ": " + message);
	}

	/**
	 * Extract what the server said: the {@code message} or {@code error} member of a JSON body,
	 * else the body itself, shortened.
	 * @param body the response body
	 * @return the message, possibly empty
	 */
	static String serverMessage(String body) {
		if (SimpleJson.parseOrNull(body) instanceof Map<?, ?> map) {
			Object message = map.get("message");
			Object error = map.get("error");
			if (message instanceof String text && !text.isBlank()) {
				// Zod validation details live in "error"; keep them, they say what is wrong
				return shorten((error != null && !(error instanceof String)) ? text + " " + error : text);
			}
			if (error instanceof String text && !text.isBlank()) {
				return shorten(text);
			}
		}
		return shorten(body);
	}

	/**
	 * Word the WARN for keys that Langfuse rejected.
	 * @param status 401 or 403
	 * @param description the response as {@link #describe(HttpResult)} words it
	 * @param consequence what happens to the data, e.g. "Observations are dropped"
	 * @return the message
	 */
	static String authRejected(int status, String description, String consequence) {
		String reason = (status == 403)
				? "The key has no access to this project (an organization key, or ingestion suspended)."
				: "The keys are wrong or belong to another Langfuse host.";
		return "Langfuse rejected the API keys (" + description + "). " + reason
				+ " Check 'langfuse.public-key' and 'langfuse.secret-key' (use the project-scoped"
				+ " keys from the project's settings page) and 'langfuse.host' (for example"
				+ " https://cloud.langfuse.com, https://us.cloud.langfuse.com or your own instance). " + consequence
				+ " until this is fixed; this warning is logged once.";
	}

	/**
	 * Word the WARN for a Langfuse that cannot be reached, with a hint for TLS trust problems.
	 * @param target where the request went, for example {@code https://cloud.langfuse.com}
	 * @param failure what went wrong
	 * @return the message
	 */
	static String unreachable(String target, Throwable failure) {
		if (failure instanceof LinkageError) {
			return "Langfuse export cannot send to " + target + ": a class its HTTP client needs is missing ("
					+ Failures.describe(failure) + "). Check that spring-webflux and reactor-core match your"
					+ " Spring Boot version ('mvn dependency:tree'). The application keeps running; observations"
					+ " are counted as dropped.";
		}
		String hint = isUntrustedCertificate(failure)
				? " The server's TLS certificate is not trusted: trust its CA with 'langfuse.ssl.bundle' (a"
						+ " spring.ssl.bundle.* bundle) or the JVM trust store (javax.net.ssl.trustStore)."
				: " Check 'langfuse.host', the network and any proxy ('langfuse.proxy.host' or the JVM's"
						+ " https.proxyHost).";
		return "Cannot reach Langfuse at " + target + " (" + describeCause(failure) + ")." + hint
				+ " The application keeps running; observations are queued, retried and counted if dropped."
				+ " This warning is logged again only after Langfuse was reachable.";
	}

	// Client exceptions wrap what happened on the wire, often without a message of their own
	private static String describeCause(Throwable failure) {
		Throwable root = Failures.rootCause(failure);
		if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
			return "unknown host: " + root.getClass().getSimpleName()
					+ ((root.getMessage() != null) ? ": " + root.getMessage() : "");
		}
		if (root.getMessage() == null && root != failure) {
			return root.getClass().getSimpleName() + " in " + Failures.describe(failure);
		}
		return Failures.describe(root);
	}

	private static boolean isUntrustedCertificate(Throwable failure) {
		return Failures.anyCause(failure, (cause) -> UNTRUSTED_CERTIFICATE_TYPES.contains(cause.getClass().getName()));
	}

	private static String shorten(String text) {
		String collapsed = text.strip().replaceAll("\\s+", " ");
		return (collapsed.length() <= MAX_BODY_CHARS) ? collapsed : collapsed.substring(0, MAX_BODY_CHARS) + "...";
	}

}
