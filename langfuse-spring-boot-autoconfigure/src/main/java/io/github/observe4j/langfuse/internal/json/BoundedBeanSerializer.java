package io.github.observe4j.langfuse.internal.json;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.ser.std.DelegatingSerializer;

/**
 * Wraps Jackson's serializer of a bean or record so that a bean nested too deep, or met again
 * inside itself, becomes a marker rather than the next level of recursion.
 */
final class BoundedBeanSerializer extends DelegatingSerializer {

	BoundedBeanSerializer(ValueSerializer<?> delegate) {
		super(delegate);
	}

	@Override
	protected ValueSerializer<Object> newDelegatingInstance(ValueSerializer<?> delegatee) {
		return new BoundedBeanSerializer(delegatee);
	}

	@Override
	public void serialize(Object value, JsonGenerator generator, SerializationContext context) {
		if (this._delegatee.isUnwrappingSerializer()) {
			// writes properties into the enclosing object, which was entered already
			this._delegatee.serialize(value, generator, context);
			return;
		}
		String marker = BoundedGenerator.enter(generator, value);
		if (marker != null) {
			BoundedGenerator.writeMarker(generator, marker);
			return;
		}
		try {
			this._delegatee.serialize(value, generator, context);
		}
		finally {
			BoundedGenerator.exit(generator);
		}
	}

	@Override
	public void serializeWithType(Object value, JsonGenerator generator, SerializationContext context,
			TypeSerializer typeSerializer) {
		String marker = BoundedGenerator.enter(generator, value);
		if (marker != null) {
			BoundedGenerator.writeMarker(generator, marker);
			return;
		}
		try {
			this._delegatee.serializeWithType(value, generator, context, typeSerializer);
		}
		finally {
			BoundedGenerator.exit(generator);
		}
	}

}
