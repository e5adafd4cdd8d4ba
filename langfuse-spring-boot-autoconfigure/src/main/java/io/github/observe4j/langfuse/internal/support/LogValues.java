package io.github.observe4j.langfuse.internal.support;

import org.jspecify.annotations.Nullable;

/**
 * Values that callers pass in (often straight from a request header) as log text: quoted, cut
 * to a length that shows what they were, and on one line, so that a hostile value can neither
 * flood the log nor forge lines in it.
 */
public final class LogValues {

	private static final int MAX_LENGTH = 64;

	private LogValues() {
	}

	/**
	 * Quote a value for a log line.
	 * @param value the value, or {@code null}
	 * @return the value in single quotes: at most {@value #MAX_LENGTH} of its characters, followed by
	 * {@code ...} when it is longer, each control character shown as {@code ?}; {@code null} for
	 * {@code null}
	 */
	public static String quoted(@Nullable String value) {
		return (value != null) ? "'" + oneLine(value, MAX_LENGTH) + "'" : "null";
	}

	/**
	 * A value as part of a log line, unquoted.
	 * @param value the value
	 * @param maxLength how many of its characters to keep
	 * @return at most {@code maxLength} of the value's characters, followed by {@code ...} when it is
	 * longer, each control character shown as {@code ?}
	 */
	public static String oneLine(String value, int maxLength) {
		int length = Math.min(value.length(), maxLength);
		StringBuilder text = new StringBuilder(length + 3);
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			text.append(Character.isISOControl(c) ? '?' : c);
		}
		if (value.length() > maxLength) {
			text.append("...");
		}
		return text.toString();
	}

}
