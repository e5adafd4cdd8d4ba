package io.github.observe4j.langfuse.internal.context;

import org.jspecify.annotations.Nullable;

/**
 * The one check for ids and header fields written in hex.
 */
public final class HexDigits {

	private HexDigits() {
	}

	/**
	 * Return whether a value is exactly so many ASCII hex digits, either case. Unlike
	 * {@link Character#digit(char, int)}, other scripts' digits (such as {@code '\u0660'} or a
	 * fullwidth {@code '\uFF21'}) are not hex digits here: Langfuse and W3C ids are ASCII.
	 * @param value the value, or {@code null}
	 * @param length the number of digits
	 * @return whether it is
	 */
	public static boolean isHex(@Nullable String value, int length) {
		if (value == null || value.length() != length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
				return false;
			}
		}
		return true;
	}

}
