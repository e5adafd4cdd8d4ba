package io.github.observe4j.langfuse.internal.support;

/**
 * The one JSON string escaper of the starter, for the JSON it writes by hand (simple captured
 * values, score bodies, placeholders). Always valid JSON that any parser reads back as the same
 * text: quotes, backslashes and control characters are escaped, U+2028 and U+2029 too (for
 * JavaScript consumers), and a lone surrogate, which no UTF-8 encoder can carry, becomes
 * {@code \ufffd}, as {@link String#getBytes} would make it.
 */
public final class JsonStrings {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private JsonStrings() {
	}

	/**
	 * Append a string as a quoted JSON string.
	 * @param json where to append
	 * @param value the string
	 */
	public static void appendQuoted(StringBuilder json, CharSequence value) {
		json.append('"');
		appendEscaped(json, value);
		json.append('"');
	}

	/**
	 * Append the escaped content of a JSON string, without the quotes.
	 * @param json where to append
	 * @param value the string
	 */
	public static void appendEscaped(StringBuilder json, CharSequence value) {
		appendEscaped(json, value, 0, value.length());
	}

	/**
	 * Append the escaped content of part of a string, without the quotes.
	 * @param json where to append
	 * @param value the string
	 * @param start the first char to append
	 * @param end the end of the part, exclusive
	 */
	public static void appendEscaped(StringBuilder json, CharSequence value, int start, int end) {
		int from = start;
		int i = start;
		while (true) {
			// a tight scan over the common case (printable, below the line separators): measured
			// twice as fast as one loop that tests every kind of char
			while (i < end) {
				char c = value.charAt(i);
				if (c < 0x20 || c == '"' || c == '\\' || c >= 0x2028) {
					break;
				}
				i++;
			}
			if (i >= end) {
				break;
			}
			char c = value.charAt(i);
			if (c > 0x2029 && !Character.isSurrogate(c)) {
				i++;
				continue;
			}
			if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(value.charAt(i + 1))) {
				i += 2;
				continue;
			}
			json.append(value, from, i);
			appendEscape(json, c);
			i++;
			from = i;
		}
		json.append(value, from, end);
	}

	/**
	 * Return how many chars of a string, from its start, take at most {@code maxLength} chars
	 * once escaped, without splitting a surrogate pair: the most that fit in a budget.
	 * @param value the string
	 * @param maxLength the most escaped chars
	 * @return the number of chars of {@code value} that fit
	 */
	public static int fittingPrefix(CharSequence value, int maxLength) {
		int length = value.length();
		int escaped = 0;
		int i = 0;
		while (i < length) {
			char c = value.charAt(i);
			int chars = 1;
			int size;
			if ((c >= 0x20 && c < 0x2028 && c != '"' && c != '\\') || (c > 0x2029 && !Character.isSurrogate(c))) {
				size = 1;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
				size = 2;
				chars = 2;
			}
			else {
				size = (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') ? 2 : 6;
			}
			if (escaped + size > maxLength) {
				break;
			}
			escaped += size;
			i += chars;
		}
		return i;
	}

	private static void appendEscape(StringBuilder json, char c) {
		switch (c) {
			case '"' -> json.append("\\\"");
			case '\\' -> json.append("\\\\");
			case '\n' -> json.append("\\n");
			case '\r' -> json.append("\\r");
			case '\t' -> json.append("\\t");
			case '\b' -> json.append("\\b");
			case '\f' -> json.append("\\f");
			default -> {
				char escaped = Character.isSurrogate(c) ? '\ufffd' : c;
				json.append("\\u")
					.append(HEX[(escaped >> 12) & 0xF])
					.append(HEX[(escaped >> 8) & 0xF])
					.append(HEX[(escaped >> 4) & 0xF])
					.append(HEX[escaped & 0xF]);
			}
		}
	}

}
