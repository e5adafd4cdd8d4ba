package io.github.observe4j.langfuse.internal.json;

import java.lang.reflect.Array;

import io.github.observe4j.langfuse.internal.support.TruncationMarker;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes an array of objects or primitives (other than {@code byte[]}, a size placeholder, and
 * {@code char[]}, a string) as a JSON array of at most {@code maxItems} elements, then a
 * {@code more items} marker if any were left out.
 */
final class BoundedArraySerializer extends StdSerializer<Object> {

	private final int maxItems;

	BoundedArraySerializer(int maxItems) {
		super(Object.class);
		this.maxItems = maxItems;
	}

	@Override
	public boolean isEmpty(SerializationContext context, Object value) {
		return Array.getLength(value) == 0;
	}

	@Override
	public void serialize(Object value, JsonGenerator generator, SerializationContext context) {
		String marker = BoundedGenerator.enter(generator, value);
		if (marker != null) {
			BoundedGenerator.writeMarker(generator, marker);
			return;
		}
		try {
			int length = Array.getLength(value);
			int written = Math.min(length, this.maxItems);
			generator.writeStartArray(value, Math.min(length, this.maxItems + 1));
			Object[] objects = (value instanceof Object[] array) ? array : null;
			for (int i = 0; i < written; i++) {
				// a primitive is boxed, then written by Jackson's serializer for its type
				context.writeValue(generator, (objects != null) ? objects[i] : Array.get(value, i));
			}
			if (length > written) {
				BoundedGenerator.writeMarker(generator, TruncationMarker.moreItems(length - written));
			}
			generator.writeEndArray();
		}
		finally {
			BoundedGenerator.exit(generator);
		}
	}

}
