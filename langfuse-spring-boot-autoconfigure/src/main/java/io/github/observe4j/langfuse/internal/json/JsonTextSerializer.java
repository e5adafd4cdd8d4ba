package io.github.observe4j.langfuse.internal.json;

import io.github.observe4j.langfuse.internal.model.JsonText;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes a {@link JsonText} verbatim, so that a snapshot taken at call time is embedded as JSON
 * wherever it appears in a larger value.
 */
final class JsonTextSerializer extends StdSerializer<JsonText> {

	JsonTextSerializer() {
		super(JsonText.class);
	}

	@Override
	public void serialize(JsonText value, JsonGenerator generator, SerializationContext context) {
		generator.writeRawValue(value.json());
	}

}
