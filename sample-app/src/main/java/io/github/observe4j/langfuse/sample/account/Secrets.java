package io.github.observe4j.langfuse.sample.account;

import org.jspecify.annotations.Nullable;

/**
 * Masks credentials before they are logged or traced.
 */
final class Secrets {

	private static final String MASK = "****";

	private Secrets() {
	}

	/**
	 * Mask a key, keeping at most its first three and last four characters so it can still be
	 * told apart from other keys.
	 * @param key the key
	 * @return the masked key
	 */
	static String maskKey(@Nullable String key) {
		if (key == null || key.length() < 12) {
			return MASK;
		}
		return key.substring(0, 3) + MASK + key.substring(key.length() - 4);
	}

	/**
	 * Mask a secret completely.
	 * @param secret the secret
	 * @return the mask, or an empty string when there is no secret
	 */
	static String maskSecret(@Nullable String secret) {
		return (secret == null || secret.isEmpty()) ? "" : MASK;
	}

}
