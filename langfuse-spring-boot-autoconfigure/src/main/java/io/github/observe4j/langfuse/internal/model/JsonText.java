package io.github.observe4j.langfuse.internal.model;

import java.util.Objects;

/**
 * Text that is already valid JSON (or an explicit placeholder) and is sent as it is. Captured
 * values that could change after the call are serialized on the caller's thread into one of
 * these; immutable values are kept as they are and serialized later on the export thread.
 *
 * @param json the JSON text
 * @since 0.1.0
 */
public record JsonText(String json) {

	public JsonText {
		Objects.requireNonNull(json, "json must not be null");
	}

	@Override
	public String toString() {
		return this.json;
	}

}
