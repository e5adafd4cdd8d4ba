package io.github.observe4j.langfuse.internal.springai;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.micrometer.observation.Observation;

/**
 * How one kind of Spring AI observation context becomes a Langfuse observation: its type, its
 * name, and what it records when it starts and when it stops. Implementations read the context
 * only; they may throw, the handler catches.
 *
 * @param <C> the context type
 * @since 0.1.0
 */
public interface SpringAiMapping<C extends Observation.Context> {

	/**
	 * Return the exact context class this mapping reads; subclasses are not matched.
	 * @return the context class
	 */
	Class<C> contextType();

	/**
	 * Return the Langfuse observation type.
	 * @return the type
	 */
	ObservationType type();

	/**
	 * Return the observation name, computed at start (Spring AI sets its own only at stop).
	 * @param context the context
	 * @return the name
	 */
	String name(C context);

	/**
	 * Return whether the call streams its answer: such a call is never folded into an
	 * enclosing generation, as it ends after the enclosing method has returned.
	 * @param context the context
	 * @return whether it streams
	 */
	/**
	 * Return whether this observation is recorded at all, such as only the queries of a vector
	 * store; asked once, when the observation is created.
	 * @param context the context
	 * @return whether to record it
	 */
	default boolean records(C context) {
		return true;
	}

	default boolean streaming(C context) {
		return false;
	}

	/**
	 * Record what is known when the call starts.
	 * @param context the context
	 * @param call the call
	 */
	void started(C context, LlmCall call);

	/**
	 * Record what is known when the call stops, before it ends; a failure is recorded by the
	 * handler.
	 * @param context the context
	 * @param call the call
	 */
	void stopped(C context, LlmCall call);

}
