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
		int length = value.length();
		int start = 0;
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			// the common case in one range test: printable, below the line separators and surrogates
			if (c >= 0x20 && c < 0x2028 && c != '"' && c != '\\') {
				continue;
			}
			if (c > 0x2029 && !Character.isSurrogate(c)) {
				continue;
			}
			if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
				i++;
				continue;
			}
			json.append(value, start, i);
			appendEscape(json, c);
			start = i + 1;
		}
		json.append(value, start, length);
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
