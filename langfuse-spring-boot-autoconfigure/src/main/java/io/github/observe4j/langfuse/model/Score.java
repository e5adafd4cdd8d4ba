package io.github.observe4j.langfuse.model;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A score to attach to a trace or an observation: a name, a value and optional details. Create
 * one with {@link #numeric}, {@link #categorical} or {@link #bool}, then refine it with the
 * {@code with*} methods.
 * <pre class="code">
 * Score.numeric("relevance", 0.92).withComment("judged by gpt-4o").withId("eval-" + requestId)
 * </pre>
 *
 * @param name score name, as configured in Langfuse
 * @param dataType data type of the value
 * @param numericValue value of a numeric or boolean score
 * @param stringValue value of a categorical score
 * @param comment free-text comment
 * @param id idempotency key: scoring again with the same id overwrites the earlier score
 * @param configId id of a score configuration in Langfuse that validates the value
 * @since 0.1.0
 */
public record Score(String name, ScoreDataType dataType, @Nullable Double numericValue, @Nullable String stringValue,
		@Nullable String comment, @Nullable String id, @Nullable String configId) {

	/**
	 * Create a score, checking that the value fits the data type: a categorical score has a
	 * string value and no number, a numeric or boolean one a number and no string, a boolean
	 * one 0 or 1. These are mistakes in code, caught where the score is made. A number that is
	 * NaN or infinite is data, not a mistake: the score is made, and dropped at export with a
	 * warning and a count, since JSON cannot carry it.
	 */
	public Score {
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(dataType, "dataType must not be null");
		if (name.isBlank()) {
			throw new IllegalArgumentException("Score name must not be blank");
		}
		if (dataType == ScoreDataType.CATEGORICAL) {
			if (stringValue == null || numericValue != null) {
				throw new IllegalArgumentException(
						"Categorical score '" + name + "' needs a string value and no numeric value");
			}
		}
		else if (numericValue == null || stringValue != null) {
			throw new IllegalArgumentException(
					"Score '" + name + "' of type " + dataType + " needs a numeric value and no string value");
		}
		else if (dataType == ScoreDataType.BOOLEAN && numericValue != 0.0 && numericValue != 1.0
				&& !numericValue.isNaN()) {
			throw new IllegalArgumentException("Boolean score '" + name + "' must be 0 or 1, was " + numericValue);
		}
	}

	/**
	 * Create a numeric score.
	 * @param name the score name
	 * @param value the value
	 * @return a new score
	 */
	public static Score numeric(String name, double value) {
		return new Score(name, ScoreDataType.NUMERIC, value, null, null, null, null);
	}

	/**
	 * Create a categorical score.
	 * @param name the score name
	 * @param value the category
	 * @return a new score
	 */
	public static Score categorical(String name, String value) {
		Objects.requireNonNull(value, "value must not be null");
		return new Score(name, ScoreDataType.CATEGORICAL, null, value, null, null, null);
	}

	/**
	 * Create a boolean score, sent as 1 or 0.
	 * @param name the score name
	 * @param value the value
	 * @return a new score
	 */
	public static Score bool(String name, boolean value) {
		return new Score(name, ScoreDataType.BOOLEAN, value ? 1.0 : 0.0, null, null, null, null);
	}

	/**
	 * Return a copy with the given comment.
	 * @param comment the comment
	 * @return a new score
	 */
	public Score withComment(@Nullable String comment) {
		return new Score(this.name, this.dataType, this.numericValue, this.stringValue, comment, this.id,
				this.configId);
	}

	/**
	 * Return a copy with the given idempotency key.
	 * @param id the score id
	 * @return a new score
	 */
	public Score withId(@Nullable String id) {
		return new Score(this.name, this.dataType, this.numericValue, this.stringValue, this.comment, id,
				this.configId);
	}

	/**
	 * Return a copy bound to a Langfuse score configuration.
	 * @param configId the score config id
	 * @return a new score
	 */
	public Score withConfigId(@Nullable String configId) {
		return new Score(this.name, this.dataType, this.numericValue, this.stringValue, this.comment, this.id,
				configId);
	}

}
