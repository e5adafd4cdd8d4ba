package io.github.observe4j.langfuse.internal.json;

import java.io.InputStream;
import java.io.Reader;
import java.nio.channels.Channel;
import java.nio.file.DirectoryStream;
import java.util.ArrayList;
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
 * subscribed either. Nor are resources and requests walked through their getters: a
 * {@code DataSource}'s {@code getConnection()} would take a pooled connection and never give it
 * back, a servlet request's {@code getReader()} or {@code getParameterMap()} would use up its body
 * and {@code getSession()} would create a session. Nor is a principal, whose getters hand out
 * its credentials.
 */
final class OneShotValueSerializer extends StdSerializer<Object> {

	/** Values that can be read only once, checked by {@code instanceof} through Jackson's type hierarchy lookup. */
	private static final List<Class<?>> READ_ONCE_TYPES = withPresent(List.of(BaseStream.class, Iterator.class,
			Spliterator.class, InputStream.class, Reader.class, Channel.class, DirectoryStream.class),
			// never recorded as itself: serializing would only show its getters
			"org.reactivestreams.Publisher");

	/**
	 * Resources and requests: anything {@link AutoCloseable} (connections, statements, result
	 * sets, pools, sockets, contexts), and those of optional libraries where present.
	 */
	private static final List<Class<?>> RESOURCE_TYPES = withPresent(List.of(AutoCloseable.class),
			"javax.sql.DataSource", "jakarta.servlet.ServletRequest", "jakarta.servlet.ServletResponse",
			"jakarta.servlet.http.HttpSession", "jakarta.servlet.http.Part",
			"org.springframework.web.server.ServerWebExchange", "org.springframework.web.context.request.WebRequest",
			// a Resource or MultipartFile: its getters read the whole content and open streams
			"org.springframework.core.io.InputStreamSource");

	/**
	 * Who a request runs as: a {@link java.security.Principal} (Spring Security's
	 * {@code Authentication} among them) has {@code getCredentials()}, a {@code UserDetails}
	 * {@code getPassword()}, which must not reach Langfuse because a method took one.
	 */
	private static final List<Class<?>> CREDENTIAL_TYPES = withPresent(List.of(java.security.Principal.class),
			"org.springframework.security.core.userdetails.UserDetails",
			"org.springframework.security.core.CredentialsContainer");

	OneShotValueSerializer() {
		super(Object.class);
	}

	static SimpleModule register(SimpleModule module) {
		OneShotValueSerializer serializer = new OneShotValueSerializer();
		for (List<Class<?>> types : List.of(READ_ONCE_TYPES, RESOURCE_TYPES, CREDENTIAL_TYPES)) {
			for (Class<?> type : types) {
				addSerializer(module, type, serializer);
			}
		}
		return module;
	}

	/** The given types and those of the named ones that the class path has. */
	private static List<Class<?>> withPresent(List<Class<?>> types, String... optionalTypeNames) {
		List<Class<?>> present = new ArrayList<>(types);
		for (String name : optionalTypeNames) {
			try {
				present.add(Class.forName(name, false, OneShotValueSerializer.class.getClassLoader()));
			}
			catch (ClassNotFoundException | LinkageError ex) {
				// the library is absent, so none of its values to meet
			}
		}
		return List.copyOf(present);
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
		if (isInstanceOfAny(value, READ_ONCE_TYPES)) {
			return "<not captured: " + type + " can be read only once>";
		}
		if (value instanceof Iterable<?>) {
			return "<not captured: " + type + " is an Iterable that may be read only once>";
		}
		if (isInstanceOfAny(value, CREDENTIAL_TYPES)) {
			return "<not captured: " + type + " may hold credentials>";
		}
		return "<not captured: " + type + " is a resource or a request>";
	}

	private static boolean isInstanceOfAny(Object value, List<Class<?>> types) {
		for (Class<?> type : types) {
			if (type.isInstance(value)) {
				return true;
			}
		}
		return false;
	}

}
