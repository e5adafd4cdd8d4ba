package io.github.observe4j.langfuse.internal.json;

import java.io.InputStream;
import java.io.Reader;
import java.nio.channels.Channel;
import java.nio.file.DirectoryStream;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.stream.BaseStream;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes a placeholder naming the type for values that can be read only once (streams,
 * iterators, readers, channels, iterables that are not collections), wherever they appear:
 * serializing one would consume it, and the traced method or its caller would then get a spent
 * value. A Reactive Streams publisher that is not followed as an asynchronous result is not
 * subscribed either.
 */
final class OneShotValueSerializer extends StdSerializer<Object> {

	/** The one-shot types, checked by {@code instanceof} through Jackson's type hierarchy lookup. */
	static final List<Class<?>> ONE_SHOT_TYPES = List.of(BaseStream.class, Iterator.class, Spliterator.class,
			InputStream.class, Reader.class, Channel.class, DirectoryStream.class);

	OneShotValueSerializer() {
		super(Object.class);
	}

	/** A publisher is never recorded as itself: serializing would only show its getters. */
	private static final String PUBLISHER = "org.reactivestreams.Publisher";

	static SimpleModule register(SimpleModule module) {
		OneShotValueSerializer serializer = new OneShotValueSerializer();
		for (Class<?> type : ONE_SHOT_TYPES) {
			addSerializer(module, type, serializer);
		}
		try {
			addSerializer(module, Class.forName(PUBLISHER, false, OneShotValueSerializer.class.getClassLoader()),
					serializer);
		}
		catch (ClassNotFoundException ex) {
			// no Reactive Streams on the class path, so no publishers to meet
		}
		return module;
	}

	@SuppressWarnings("unchecked")
	private static <T> void addSerializer(SimpleModule module, Class<T> type, OneShotValueSerializer serializer) {
		module.addSerializer(type, (StdSerializer<T>) (StdSerializer<?>) serializer);
	}

	@Override
	public void serialize(Object value, JsonGenerator generator, SerializationContext context) {
		generator.writeString(placeholder(value));
	}

	static String placeholder(Object value) {
		if (value instanceof Iterable<?>) {
			return "<not captured: " + value.getClass().getName() + " is an Iterable that may be read only once>";
		}
		return "<not captured: " + value.getClass().getName() + " can be read only once>";
	}

}
