package io.github.observe4j.langfuse.internal.model;

import java.util.Objects;

/**
 * Arguments of an observed call, exported as a JSON object keyed by parameter name. Each value
 * is either an immutable value, kept as it is, or a {@link JsonText} snapshot taken at call time.
 *
 * @param names parameter names, in declaration order
 * @param values argument values, same order and length as {@code names}
 * @since 0.1.0
 */
public record CapturedArguments(String[] names, Object[] values) {

	public CapturedArguments {
		Objects.requireNonNull(names, "names must not be null");
		Objects.requireNonNull(values, "values must not be null");
		if (names.length != values.length) {
			throw new IllegalArgumentException("names and values must have the same length");
		}
	}

}
