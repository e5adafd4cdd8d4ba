package io.github.observe4j.langfuse.internal.export.otlp;

import io.github.observe4j.langfuse.internal.model.ValueSerializer;

/**
 * Renders captured values (inputs, outputs, metadata values) to the text the exporter would send,
 * for readers other than the exporter, such as the in-memory recorder of the test support.
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class ValueTexts {

	private final ValueRenderer renderer;

	/**
	 * Create a renderer.
	 * @param serializer the serializer for values that are not simple
	 * @param maxChars the length limit for each value
	 */
	public ValueTexts(ValueSerializer serializer, int maxChars) {
		this.renderer = new ValueRenderer(serializer, maxChars);
	}

	/**
	 * Render a value as the exporter does: a string as it is, captured arguments as a JSON
	 * object keyed by parameter name, anything else as JSON.
	 * @param value the value
	 * @return the text
	 */
	public synchronized String text(Object value) {
		return this.renderer.text(value);
	}

}
