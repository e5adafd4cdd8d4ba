package io.github.observe4j.langfuse.internal.json;

import java.io.InputStream;
import java.io.Reader;
import java.nio.channels.Channel;
import java.nio.file.DirectoryStream;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.stream.BaseStream;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes a placeholder naming the type for values that can be read only once (streams,
 * iterators, readers, channels, iterables that are not collections), wherever they appear:
 * serializing one would consume it, and the traced method or its caller would then get a spent
 * value. A Reactive Streams publisher that is not followed as an asynchronous result is not
 * subscribed either. Nor are resources and requests walked through their getters: a
 * {@code DataSource}'s {@code getConnection()} would take a pooled connection and never give it
 * back, a servlet request's {@code getReader()} or {@code getParameterMap()} would use up its body
 * and {@code getSession()} would create a session. Nor is a principal, whose getters hand out
 * its credentials.
 */
final class OneShotValueSerializer extends StdSerializer<Object> {

	/** The one-shot types, checked by {@code instanceof} through Jackson's type hierarchy lookup. */
	static final List<Class<?>> ONE_SHOT_TYPES = List.of(BaseStream.class, Iterator.class, Spliterator.class,
			InputStream.class, Reader.class, Channel.class, DirectoryStream.class);

	/** Never recorded as itself: serializing would only show its getters. */
	private static final String PUBLISHER = "org.reactivestreams.Publisher";

	/**
	 * Resources and requests of optional libraries, placeholders where present, beside anything
	 * {@link AutoCloseable} (connections, statements, result sets, pools, sockets, contexts).
	 */
	private static final List<String> OPTIONAL_RESOURCE_TYPES = List.of("javax.sql.DataSource",
			"jakarta.servlet.ServletRequest", "jakarta.servlet.ServletResponse", "jakarta.servlet.http.HttpSession",
			"jakarta.servlet.http.Part", "org.springframework.web.server.ServerWebExchange",
			"org.springframework.web.context.request.WebRequest",
			// a Resource or MultipartFile: its getters read the whole content and open streams
			"org.springframework.core.io.InputStreamSource");

	/**
	 * Who a request runs as: a {@link java.security.Principal} (Spring Security's
	 * {@code Authentication} among them) has {@code getCredentials()}, a {@code UserDetails}
	 * {@code getPassword()}, which must not reach Langfuse because a method took one.
	 */
	private static final List<String> CREDENTIAL_TYPES = List.of("java.security.Principal",
			"org.springframework.security.core.userdetails.UserDetails",
			"org.springframework.security.core.CredentialsContainer");

	OneShotValueSerializer() {
		super(Object.class);
	}

	static SimpleModule register(SimpleModule module) {
		OneShotValueSerializer serializer = new OneShotValueSerializer();
		for (Class<?> type : ONE_SHOT_TYPES) {
			addSerializer(module, type, serializer);
		}
		addSerializer(module, AutoCloseable.class, serializer);
		addIfPresent(module, PUBLISHER, serializer);
		for (String name : OPTIONAL_RESOURCE_TYPES) {
			addIfPresent(module, name, serializer);
		}
		for (String name : CREDENTIAL_TYPES) {
			addIfPresent(module, name, serializer);
		}
		return module;
	}

	private static void addIfPresent(SimpleModule module, String typeName, OneShotValueSerializer serializer) {
		try {
			addSerializer(module, Class.forName(typeName, false, OneShotValueSerializer.class.getClassLoader()),
					serializer);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			// the library is absent, so none of its values to meet
		}
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
		String type = value.getClass().getName();
		if (isReadOnce(value)) {
			return "<not captured: " + type + " can be read only once>";
		}
		if (value instanceof Iterable<?>) {
			return "<not captured: " + type + " is an Iterable that may be read only once>";
		}
		for (String credentials : CREDENTIAL_TYPES) {
			if (isOfType(value.getClass(), credentials)) {
				return "<not captured: " + type + " may hold credentials>";
			}
		}
		return "<not captured: " + type + " is a resource or a request>";
	}

	private static boolean isReadOnce(Object value) {
		for (Class<?> type : ONE_SHOT_TYPES) {
			if (type.isInstance(value)) {
				return true;
			}
		}
		return isOfType(value.getClass(), PUBLISHER);
	}

	private static boolean isOfType(@Nullable Class<?> type, String name) {
		if (type == null) {
			return false;
		}
		if (type.getName().equals(name)) {
			return true;
		}
		for (Class<?> implemented : type.getInterfaces()) {
			if (isOfType(implemented, name)) {
				return true;
			}
		}
		return isOfType(type.getSuperclass(), name);
	}

}
