package io.github.observe4j.langfuse.internal.model;

import org.jspecify.annotations.Nullable;

/**
 * Turns captured values into JSON text. Implementations never throw: a value that cannot be
 * serialized (a cycle, a failing getter, an unsupported type) becomes a JSON string placeholder
 * such as {@code "<unserializable com.acme.Foo: cycle>"}, logged once per type.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ValueSerializer {

	/**
	 * Serialize a value to JSON, always valid. Output longer than {@code maxChars} is cut to at
	 * most that length with a visible truncation marker inside the JSON; an implementation
	 * should stop working once the limit is reached rather than serialize everything first.
	 * @param value the value; {@code null} gives {@code null}
	 * @param maxChars the maximum length of the result
	 * @return the JSON text
	 */
	String toJson(@Nullable Object value, int maxChars);

	/**
	 * Get ready for the first value, on a thread where the wait harms no one, so that neither the
	 * application's startup nor its first captured call pays for the setup. Optional: the first
	 * {@link #toJson} does it otherwise. Never throws.
	 */
	default void prepare() {
	}

}
