package io.github.observe4j.langfuse.internal.export.otlp;

import java.math.BigDecimal;
import java.math.BigInteger;

import io.github.observe4j.langfuse.internal.model.JsonText;
import io.github.observe4j.langfuse.internal.support.JsonStrings;
import org.jspecify.annotations.Nullable;

/**
 * Writes JSON for simple values (strings, numbers, booleans, {@link JsonText}) without a JSON
 * library: most captured values are simple, and the general serializer costs far more. Output
 * matches what Jackson writes by default for the same values.
 */
final class JsonValues {

	private JsonValues() {
	}

	/**
	 * Append the JSON of a simple value.
	 * @param json the target
	 * @param value the value
	 * @return {@code false}, with nothing appended, if the value is not simple
	 */
	static boolean appendSimple(StringBuilder json, @Nullable Object value) {
		if (value == null) {
			json.append("null");
		}
		else if (value instanceof String string) {
			appendString(json, string);
		}
		else if (value instanceof JsonText text) {
			json.append(text.json());
		}
		else if (value instanceof Boolean bool) {
			json.append(bool.booleanValue());
		}
		else if (value instanceof Integer || value instanceof Long || value instanceof Short
				|| value instanceof Byte) {
			json.append(((Number) value).longValue());
		}
		else if (value instanceof Double number) {
			appendDouble(json, number);
		}
		else if (value instanceof Float number) {
			if (Float.isFinite(number)) {
				json.append(number.floatValue());
			}
			else {
				appendString(json, number.toString());
			}
		}
		else if (value instanceof BigInteger || value instanceof BigDecimal) {
			json.append(value);
		}
		else if (value instanceof Character character) {
			appendString(json, String.valueOf(character.charValue()));
		}
		else {
			return false;
		}
		return true;
	}

	/**
	 * Append a double: a JSON number when finite, otherwise a string such as {@code "NaN"}, as
	 * JSON has no literal for those.
	 * @param json the target
	 * @param value the value
	 */
	static void appendDouble(StringBuilder json, double value) {
		if (Double.isFinite(value)) {
			json.append(value);
		}
		else {
			appendString(json, Double.toString(value));
		}
	}

	/**
	 * Append a quoted and escaped JSON string. Control characters, quotes and backslashes are
	 * escaped; a lone surrogate becomes {@code \ufffd} so that the text stays valid Unicode.
	 * @param json the target
	 * @param value the string
	 */
	static void appendString(StringBuilder json, CharSequence value) {
		JsonStrings.appendQuoted(json, value);
	}

}
