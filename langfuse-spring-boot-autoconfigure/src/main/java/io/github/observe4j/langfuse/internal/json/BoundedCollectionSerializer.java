package io.github.observe4j.langfuse.internal.json;

import java.util.Collection;
import java.util.Iterator;

import io.github.observe4j.langfuse.internal.support.TruncationMarker;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes a collection as a JSON array of at most {@code maxItems} elements, reading no further,
 * then a {@code more items} marker if any were left out.
 */
final class BoundedCollectionSerializer extends StdSerializer<Collection<?>> {

	private final int maxItems;

	BoundedCollectionSerializer(int maxItems) {
		super(Collection.class, false);
		this.maxItems = maxItems;
	}

	@Override
	public boolean isEmpty(SerializationContext context, Collection<?> value) {
		return value.isEmpty();
	}

	@Override
	public void serialize(Collection<?> value, JsonGenerator generator, SerializationContext context) {
		String marker = BoundedGenerator.enter(generator, value);
		if (marker != null) {
			BoundedGenerator.writeMarker(generator, marker);
			return;
		}
		try {
			int size = value.size();
			generator.writeStartArray(value, Math.min(size, this.maxItems + 1));
			int written = 0;
			Iterator<?> elements = value.iterator();
			while (written < this.maxItems && elements.hasNext()) {
				context.writeValue(generator, elements.next());
				written++;
			}
			if (size > written) {
				BoundedGenerator.writeMarker(generator, TruncationMarker.moreItems(size - written));
			}
			generator.writeEndArray();
		}
		finally {
			BoundedGenerator.exit(generator);
		}
	}

}
