package io.github.observe4j.langfuse.internal.springai;

import org.jspecify.annotations.Nullable;

/**
 * Reads model names and ids as Spring AI reports them.
 */
final class Models {

	private Models() {
	}

	/**
	 * Whether a reported name can be shown as it is: not blank, and not the same text twice
	 * over, as a streamed answer's aggregated metadata sometimes gives ({@code m:1m:1}).
	 */
	static boolean isUsable(@Nullable String name) {
		if (name == null || name.isBlank()) {
			return false;
		}
		int length = name.length();
		return length % 2 != 0 || !name.substring(0, length / 2).equals(name.substring(length / 2));
	}

}
