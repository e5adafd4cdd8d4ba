package io.github.observe4j.langfuse.internal.json;

import java.util.Iterator;
import java.util.Map;

import io.github.observe4j.langfuse.internal.support.TruncationMarker;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes a map as a JSON object of at most {@code maxItems} entries, reading no further, then a
 * {@code more entries} marker as the last key (with a {@code null} value) if any were left out.
 * Keys are written as Jackson writes them; a {@code null} key as {@code "null"}.
 */
final class BoundedMapSerializer extends StdSerializer<Map<?, ?>> {

	private final StructureLimits limits;

	BoundedMapSerializer(StructureLimits limits) {
		super(Map.class, false);
		this.limits = limits;
	}

	@Override
	public boolean isEmpty(SerializationContext context, Map<?, ?> value) {
		return value.isEmpty();
	}

	@Override
	public void serialize(Map<?, ?> value, JsonGenerator generator, SerializationContext context) {
		String marker = BoundedGenerator.enter(generator, value);
		if (marker != null) {
			BoundedGenerator.writeMarker(generator, marker);
			return;
		}
		try {
			int size = value.size();
			generator.writeStartObject(value, Math.min(size, this.limits.maxItems() + 1));
			int written = 0;
			Class<?> keyType = null;
			ValueSerializer<Object> keySerializer = null;
			Iterator<? extends Map.Entry<?, ?>> entries = value.entrySet().iterator();
			while (written < this.limits.maxItems() && entries.hasNext()) {
				Map.Entry<?, ?> entry = entries.next();
				Object key = entry.getKey();
				if (key instanceof String name) {
					generator.writeName(cut(name));
				}
				else if (key == null) {
					generator.writeName("null");
				}
				else {
					// keys of a map are mostly of one type: look its serializer up once
					if (key.getClass() != keyType) {
						keyType = key.getClass();
						keySerializer = context.findKeySerializer(keyType, null);
					}
					keySerializer.serialize(key, generator, context);
				}
				context.writeValue(generator, entry.getValue());
				written++;
			}
			if (size > written) {
				generator.writeName(TruncationMarker.moreEntries(size - written));
				generator.writeNull();
			}
			generator.writeEndObject();
		}
		finally {
			BoundedGenerator.exit(generator);
		}
	}

	private String cut(String name) {
		int max = this.limits.maxStringChars();
		if (name.length() <= max) {
			return name;
		}
		return name.substring(0, CutStringReader.keep(name, max)) + TruncationMarker.withLength(name.length());
	}

}
