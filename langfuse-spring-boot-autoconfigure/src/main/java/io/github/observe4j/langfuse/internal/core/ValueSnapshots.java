package io.github.observe4j.langfuse.internal.core;

import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.Set;
import java.util.UUID;

import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.internal.model.JsonText;
import org.jspecify.annotations.Nullable;

/**
 * Decides when a captured value must be serialized on the caller's thread. Immutable values
 * cannot change after the call, so they are kept as they are and serialized later on the export
 * thread, which keeps the caller's cost low; anything else is snapshotted now as JSON text so that
 * later mutation does not change what Langfuse shows.
 */
final class ValueSnapshots {

	private static final Set<Class<?>> IMMUTABLE_TYPES = Set.of(String.class, Boolean.class, Character.class,
			Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, BigDecimal.class,
			BigInteger.class, UUID.class, Class.class);

	private static final ClassValue<Boolean> IMMUTABLE = new ClassValue<>() {
		@Override
		protected Boolean computeValue(Class<?> type) {
			try {
				return isImmutableType(type, 0);
			}
			catch (RuntimeException | LinkageError ex) {
				// a record whose component types cannot be loaded (an optional dependency absent):
				// snapshotted as mutable, and the answer kept, where a throw would be repeated on
				// every call and reach the call's own guard
				return false;
			}
		}
	};

	private final ValueSerializer serializer;

	private final int maxChars;

	ValueSnapshots(ValueSerializer serializer, int maxChars) {
		this.serializer = serializer;
		this.maxChars = maxChars;
	}

	@Nullable Object snapshot(@Nullable Object value) {
		if (value == null || IMMUTABLE.get(value.getClass())) {
			return value;
		}
		return new JsonText(this.serializer.toJson(value, this.maxChars));
	}

	/**
	 * Snapshot a value unless it is an instance of exactly the given immutable class, which
	 * needs no lookup of its class.
	 */
	@Nullable Object snapshot(@Nullable Object value, @Nullable Class<?> knownImmutable) {
		return (value != null && value.getClass() == knownImmutable) ? value : snapshot(value);
	}

	/**
	 * Capture arguments, reusing the invocation's array when every value is immutable. An
	 * argument of exactly its parameter's known immutable class is kept without a lookup.
	 * @param knownImmutable per parameter, from {@link #knownImmutableType(Class)}, or {@code null}
	 */
	CapturedArguments capture(String[] names, Object[] arguments, @Nullable Class<?> @Nullable [] knownImmutable) {
		return new CapturedArguments(names, captureValues(arguments, knownImmutable));
	}

	/**
	 * As {@link #capture}, the values alone: the invocation's array itself when every value is
	 * immutable, else a copy with the others snapshotted.
	 */
	Object[] captureValues(Object[] arguments, @Nullable Class<?> @Nullable [] knownImmutable) {
		Object[] values = arguments;
		for (int i = 0; i < arguments.length; i++) {
			Object argument = arguments[i];
			if (argument != null
					&& (knownImmutable == null || i >= knownImmutable.length
							|| argument.getClass() != knownImmutable[i])
					&& !IMMUTABLE.get(argument.getClass())) {
				if (values == arguments) {
					values = arguments.clone();
				}
				values[i] = snapshot(argument);
			}
		}
		return values;
	}

	/**
	 * Return the one class every value of a declared type has, when that class is immutable:
	 * the wrapper of a primitive, or an immutable class that is final. Worked out once per
	 * observed method, so that each call compares classes instead of looking them up.
	 * @param declaredType a parameter or return type
	 * @return the class, or {@code null} when values of the type may differ in class or be mutable
	 */
	static @Nullable Class<?> knownImmutableType(Class<?> declaredType) {
		if (declaredType == void.class) {
			return null;
		}
		Class<?> type = declaredType.isPrimitive() ? MethodType.methodType(declaredType).wrap().returnType()
				: declaredType;
		return (Modifier.isFinal(type.getModifiers()) && !type.isArray() && IMMUTABLE.get(type)) ? type : null;
	}

	private static boolean isImmutableType(Class<?> type, int depth) {
		if (type.isPrimitive() || IMMUTABLE_TYPES.contains(type) || type.isEnum()
				|| (type.getSuperclass() != null && type.getSuperclass().isEnum())) {
			return true;
		}
		if (TemporalAccessor.class.isAssignableFrom(type) && type.getName().startsWith("java.time.")) {
			return true;
		}
		// A record is immutable when each component's declared type is (and cannot be a subclass).
		if (type.isRecord() && depth < 4) {
			for (RecordComponent component : type.getRecordComponents()) {
				Class<?> componentType = component.getType();
				boolean exact = componentType.isPrimitive() || Modifier.isFinal(componentType.getModifiers());
				if (!exact || !isImmutableType(componentType, depth + 1)) {
					return false;
				}
			}
			return true;
		}
		return false;
	}

}
