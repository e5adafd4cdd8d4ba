package io.github.observe4j.langfuse.annotation;

import java.util.Locale;

/**
 * Langfuse observation types. Each is sent as the lowercase value of
 * {@code langfuse.observation.type}.
 *
 * @since 0.1.0
 */
public enum ObservationType {

	/** A unit of work with a duration; the default. */
	SPAN,

	/** A call to a language model, with model, usage and cost. */
	GENERATION,

	/** A point in time without a duration. */
	EVENT,

	/** An agent deciding which steps to take. */
	AGENT,

	/** A tool called by an agent or a model. */
	TOOL,

	/** A link between steps, such as a prompt template feeding a model. */
	CHAIN,

	/** A lookup in a vector store or a search index. */
	RETRIEVER,

	/** A call to an embedding model. */
	EMBEDDING,

	/** A step that judges the output of another. */
	EVALUATOR,

	/** A check that guards against unsafe input or output. */
	GUARDRAIL;

	private final String wireValue = name().toLowerCase(Locale.ROOT);

	/**
	 * Return the value Langfuse expects in {@code langfuse.observation.type}.
	 * @return the lowercase type name
	 */
	public String wireValue() {
		return this.wireValue;
	}

}
