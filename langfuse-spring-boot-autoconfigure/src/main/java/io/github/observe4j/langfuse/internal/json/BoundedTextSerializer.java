package io.github.observe4j.langfuse.internal.json;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes a {@link StringBuilder} or {@link StringBuffer} as a string, reading only as much of it
 * as the string limit keeps, where Jackson's own serializer would copy the whole text first.
 */
final class BoundedTextSerializer extends StdSerializer<CharSequence> {

	BoundedTextSerializer() {
		super(CharSequence.class);
	}

	@Override
	public void serialize(CharSequence value, JsonGenerator generator, SerializationContext context) {
		if (generator instanceof BoundedGenerator bounded) {
			bounded.writeText(value);
		}
		else {
			generator.writeString(value.toString());
		}
	}

}
