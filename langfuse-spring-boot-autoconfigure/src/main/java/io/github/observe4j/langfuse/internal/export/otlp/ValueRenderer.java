package io.github.observe4j.langfuse.internal.export.otlp;

import java.util.Map;

import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.internal.model.JsonText;
import org.jspecify.annotations.Nullable;

/**
 * Turns captured values into the text Langfuse receives: simple values through
 * {@link JsonValues}, everything else through the {@link ValueSerializer}. Reuses one builder, so
 * an instance belongs to one thread.
 */
final class ValueRenderer {

	private static final int RETAINED_BUILDER_CAPACITY = 64 * 1024;

	private final ValueSerializer serializer;

	private final int maxChars;

	private StringBuilder json = new StringBuilder(256);

	/**
	 * Create a renderer.
	 * @param serializer the serializer for values that are not simple
	 * @param maxChars the length limit passed to the serializer for each value
	 */
	ValueRenderer(ValueSerializer serializer, int maxChars) {
		this.serializer = serializer;
		this.maxChars = maxChars;
	}

	/**
	 * Render an input or output: a string as it is (Langfuse shows it as text), a
	 * {@link JsonText} verbatim, arguments as a JSON object keyed by parameter name, anything
	 * else as JSON.
	 * @param value the value
	 * @return the text
	 */
	String text(Object value) {
		if (value instanceof String string) {
			return string;
		}
		if (value instanceof JsonText text) {
			return text.json();
		}
		return json(value);
	}

	/**
	 * Render a value as JSON.
	 * @param value the value
	 * @return the JSON text
	 */
	String json(@Nullable Object value) {
		if (value instanceof JsonText text) {
			return text.json();
		}
		StringBuilder json = start();
		appendJson(json, value);
		return finish(json);
	}

	/**
	 * Render a map as a JSON object, with keys as strings.
	 * @param map the map
	 * @return the JSON object text
	 */
	String jsonObject(Map<?, ?> map) {
		StringBuilder json = start();
		json.append('{');
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (json.length() > 1) {
				json.append(',');
			}
			JsonValues.appendString(json, String.valueOf(entry.getKey()));
			json.append(':');
			appendJson(json, entry.getValue());
		}
		json.append('}');
		return finish(json);
	}

	/**
	 * Render usage details as a JSON object of integers, leaving out non-numbers.
	 * @param usage the usage details
	 * @return the JSON object text
	 */
	String usageObject(Map<String, ?> usage) {
		StringBuilder json = start();
		json.append('{');
		for (Map.Entry<String, ?> entry : usage.entrySet()) {
			if (entry.getKey() != null && entry.getValue() instanceof Number number) {
				appendKey(json, entry.getKey());
				json.append(number.longValue());
			}
		}
		json.append('}');
		return finish(json);
	}

	/**
	 * Render cost details as a JSON object of numbers, leaving out non-numbers and non-finite
	 * values.
	 * @param cost the cost details
	 * @return the JSON object text
	 */
	String costObject(Map<String, ?> cost) {
		StringBuilder json = start();
		json.append('{');
		for (Map.Entry<String, ?> entry : cost.entrySet()) {
			if (entry.getKey() != null && entry.getValue() instanceof Number number
					&& Double.isFinite(number.doubleValue())) {
				appendKey(json, entry.getKey());
				json.append(number.doubleValue());
			}
		}
		json.append('}');
		return finish(json);
	}

	private void appendKey(StringBuilder json, String key) {
		if (json.length() > 1) {
			json.append(',');
		}
		JsonValues.appendString(json, key);
		json.append(':');
	}

	private void appendJson(StringBuilder json, @Nullable Object value) {
		if (JsonValues.appendSimple(json, value)) {
			return;
		}
		if (value instanceof CapturedArguments arguments) {
			appendArguments(json, arguments);
			return;
		}
		json.append(serialize(value));
	}

	private void appendArguments(StringBuilder json, CapturedArguments arguments) {
		String[] names = arguments.names();
		@Nullable Object[] values = arguments.values();
		int count = Math.min(names.length, values.length);
		json.append('{');
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				json.append(',');
			}
			JsonValues.appendString(json, (names[i] != null) ? names[i] : "arg" + i);
			json.append(':');
			appendJson(json, values[i]);
		}
		json.append('}');
	}

	private String serialize(Object value) {
		try {
			return this.serializer.toJson(value, this.maxChars);
		}
		catch (StackOverflowError ex) {
			return unserializable(value, ex);
		}
		catch (VirtualMachineError ex) {
			throw ex;
		}
		catch (Throwable ex) {
			// The serializer contract says it never throws; a broken one must not stop the export
			return unserializable(value, ex);
		}
	}

	private static String unserializable(Object value, Throwable failure) {
		StringBuilder json = new StringBuilder(64);
		JsonValues.appendString(json,
				"<unserializable " + value.getClass().getName() + ": " + failure.getClass().getSimpleName() + ">");
		return json.toString();
	}

	private StringBuilder start() {
		StringBuilder json = this.json;
		json.setLength(0);
		return json;
	}

	private String finish(StringBuilder json) {
		String text = json.toString();
		if (json.capacity() > RETAINED_BUILDER_CAPACITY) {
			this.json = new StringBuilder(256);
		}
		else {
			json.setLength(0);
		}
		return text;
	}

}
