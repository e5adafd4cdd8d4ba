package io.github.observe4j.langfuse.internal.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A tolerant parser for the small response bodies this package reads (error messages, the
 * project list), into maps, lists, strings, numbers (as {@code Double}), booleans and
 * {@code null}: the framework-free tier has no JSON library, and Jackson stays in its adapter.
 */
final class SimpleJson {

	private static final int MAX_DEPTH = 64;

	private final String text;

	private int pos;

	private SimpleJson(String text) {
		this.text = text;
	}

	/**
	 * Parse JSON text.
	 * @param text the text
	 * @return the value
	 * @throws IllegalArgumentException if the text is not valid JSON
	 */
	static @Nullable Object parse(String text) {
		SimpleJson parser = new SimpleJson(text);
		Object value = parser.readValue(0);
		parser.skipWhitespace();
		if (parser.pos != text.length()) {
			throw parser.error("Unexpected trailing content");
		}
		return value;
	}

	/**
	 * Parse JSON text, returning {@code null} instead of failing.
	 * @param text the text
	 * @return the value, or {@code null} if the text is not valid JSON
	 */
	static @Nullable Object parseOrNull(@Nullable String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return parse(text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private @Nullable Object readValue(int depth) {
		if (depth > MAX_DEPTH) {
			throw error("Nesting too deep");
		}
		skipWhitespace();
		if (this.pos >= this.text.length()) {
			throw error("Unexpected end");
		}
		char c = this.text.charAt(this.pos);
		return switch (c) {
			case '{' -> readObject(depth);
			case '[' -> readArray(depth);
			case '"' -> readString();
			case 't' -> readLiteral("true", Boolean.TRUE);
			case 'f' -> readLiteral("false", Boolean.FALSE);
			case 'n' -> readLiteral("null", null);
			default -> readNumber();
		};
	}

	private Map<String, @Nullable Object> readObject(int depth) {
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		this.pos++;
		skipWhitespace();
		if (peek() == '}') {
			this.pos++;
			return result;
		}
		while (true) {
			skipWhitespace();
			if (peek() != '"') {
				throw error("Expected a member name");
			}
			String name = readString();
			skipWhitespace();
			expect(':');
			result.put(name, readValue(depth + 1));
			skipWhitespace();
			char c = next();
			if (c == '}') {
				return result;
			}
			if (c != ',') {
				throw error("Expected ',' or '}'");
			}
		}
	}

	private List<@Nullable Object> readArray(int depth) {
		List<@Nullable Object> result = new ArrayList<>();
		this.pos++;
		skipWhitespace();
		if (peek() == ']') {
			this.pos++;
			return result;
		}
		while (true) {
			result.add(readValue(depth + 1));
			skipWhitespace();
			char c = next();
			if (c == ']') {
				return result;
			}
			if (c != ',') {
				throw error("Expected ',' or ']'");
			}
		}
	}

	private String readString() {
		expect('"');
		StringBuilder result = new StringBuilder();
		while (true) {
			char c = next();
			if (c == '"') {
				return result.toString();
			}
			if (c != '\\') {
				result.append(c);
				continue;
			}
			char escaped = next();
			switch (escaped) {
				case '"', '\\', '/' -> result.append(escaped);
				case 'b' -> result.append('\b');
				case 'f' -> result.append('\f');
				case 'n' -> result.append('\n');
				case 'r' -> result.append('\r');
				case 't' -> result.append('\t');
				case 'u' -> {
					if (this.pos + 4 > this.text.length()) {
						throw error("Truncated unicode escape");
					}
					try {
						result.append((char) Integer.parseInt(this.text.substring(this.pos, this.pos + 4), 16));
					}
					catch (NumberFormatException ex) {
						throw error("Invalid unicode escape");
					}
					this.pos += 4;
				}
				default -> throw error("Invalid escape");
			}
		}
	}

	private @Nullable Object readLiteral(String literal, @Nullable Object value) {
		if (!this.text.startsWith(literal, this.pos)) {
			throw error("Unexpected character");
		}
		this.pos += literal.length();
		return value;
	}

	private Double readNumber() {
		int start = this.pos;
		while (this.pos < this.text.length() && "+-0123456789.eE".indexOf(this.text.charAt(this.pos)) >= 0) {
			this.pos++;
		}
		if (start == this.pos) {
			throw error("Unexpected character");
		}
		try {
			return Double.valueOf(this.text.substring(start, this.pos));
		}
		catch (NumberFormatException ex) {
			throw error("Invalid number");
		}
	}

	private void skipWhitespace() {
		while (this.pos < this.text.length() && Character.isWhitespace(this.text.charAt(this.pos))) {
			this.pos++;
		}
	}

	private char peek() {
		if (this.pos >= this.text.length()) {
			throw error("Unexpected end");
		}
		return this.text.charAt(this.pos);
	}

	private char next() {
		char c = peek();
		this.pos++;
		return c;
	}

	private void expect(char expected) {
		if (next() != expected) {
			throw error("Expected '" + expected + "'");
		}
	}

	private IllegalArgumentException error(String message) {
		return new IllegalArgumentException(message + " at position " + this.pos);
	}

}
