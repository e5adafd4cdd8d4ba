package io.github.observe4j.langfuse.model;

/**
 * Data type of a Langfuse score.
 *
 * @since 0.1.0
 */
public enum ScoreDataType {

	/** A number. */
	NUMERIC,

	/** A label from a fixed set, sent as a string. */
	CATEGORICAL,

	/** True or false, sent as 1 or 0. */
	BOOLEAN

}
