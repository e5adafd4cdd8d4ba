package io.github.observe4j.langfuse.model;

/**
 * Severity of an observation, as Langfuse shows and filters it.
 *
 * @since 0.1.0
 */
public enum ObservationLevel {

	/** Verbose detail. */
	DEBUG,

	/** Normal operation; what Langfuse assumes when nothing is set. */
	DEFAULT,

	/** Something worth a look that did not fail. */
	WARNING,

	/** A failure; set automatically when an observed method throws. */
	ERROR

}
